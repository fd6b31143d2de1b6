"""Extension points for apps above engagement (e.g. the insight bank).

engagement may not import those apps, so they register here in ``AppConfig.ready``:

    from heard.engagement import hooks
    hooks.on_response_submitted(my_function)   # my_function(response) -> None

``response_submitted(response)`` is called by the engagement services inside the
transaction that stores a response (from any channel: online, paper, phone, event,
import), so whatever a hook writes commits or rolls back with the response.

The public online path, which must take hundreds of responses a second, calls it with
``defer=True``. A hook registered with a ``deferred`` variant then has that variant
called instead (still inside the transaction): it may leave its work until after the
commit, provided the stored response itself is enough to redo it after a crash (ADR 7).
Hooks without a variant are called as usual.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ResponseHook = Callable[[Any], None]
_response_hooks: list[ResponseHook] = []


_deferred_variants: dict[ResponseHook, ResponseHook] = {}


def on_response_submitted(hook: ResponseHook, *, deferred: ResponseHook | None = None) -> None:
    if hook not in _response_hooks:
        _response_hooks.append(hook)
    if deferred is not None:
        _deferred_variants[hook] = deferred


def response_submitted(response: Any, *, defer: bool = False) -> None:
    for hook in _response_hooks:
        (_deferred_variants.get(hook, hook) if defer else hook)(response)


# Bulk path, for loads that create many responses at once (the demo loader, large
# imports): ``hook(responses)`` gets the list of saved Response objects, answers
# already stored. Called inside the loading transaction instead of
# ``response_submitted`` per response. A hook that only registers the per-response
# hook is still called, once per response, so nothing is missed.
BulkResponseHook = Callable[[list[Any]], None]
_bulk_hooks: list[BulkResponseHook] = []


def on_responses_bulk_created(hook: BulkResponseHook) -> None:
    if hook not in _bulk_hooks:
        _bulk_hooks.append(hook)


def responses_bulk_created(responses: list[Any]) -> None:
    """Tell apps above about many new responses at once (each was not reported singly)."""
    if _bulk_hooks:
        for bulk_hook in _bulk_hooks:
            bulk_hook(responses)
        return
    for response in responses:
        response_submitted(response)


# An activity's "you said, we did" is published by the app above that moderates what goes
# public (outcomes): ``provider(activity)`` returns a dict with ``published`` (the approved
# publication, with its stored ``html``, or None), ``latest`` (the newest one sent for
# approval, any status), ``submit_url`` and ``queue_url``. Without a provider nothing of
# the feedback is shown publicly.
FeedbackProvider = Callable[[Any], dict[str, Any]]
_feedback_providers: list[FeedbackProvider] = []


def register_feedback_publication(provider: FeedbackProvider) -> None:
    if provider not in _feedback_providers:
        _feedback_providers.append(provider)


def feedback_publication(activity: Any) -> dict[str, Any] | None:
    for provider in _feedback_providers:
        return provider(activity)
    return None


# Links to work kept by apps above engagement (e.g. bookings for an event), shown on the
# activity's staff page and, for the public, as actions on its public page:
#
#     hooks.register_activity_links(fn)         # fn(activity, user) -> list[ActivityLink]
#     hooks.register_public_activity_actions(fn)  # fn(activity) -> list[ActivityLink]
@dataclass(frozen=True)
class ActivityLink:
    title: str
    url: str
    summary: str = ""


ActivityLinksProvider = Callable[[Any, Any], list[ActivityLink]]
PublicActionsProvider = Callable[[Any], list[ActivityLink]]
_activity_links: list[ActivityLinksProvider] = []
_public_actions: list[PublicActionsProvider] = []


def register_activity_links(provider: ActivityLinksProvider) -> None:
    if provider not in _activity_links:
        _activity_links.append(provider)


def register_public_activity_actions(provider: PublicActionsProvider) -> None:
    if provider not in _public_actions:
        _public_actions.append(provider)


# Where the public can read more about what an activity is part of (the proposal it
# informs, its consultation, "you said, we did"), listed under "Related" on its page:
#
#     hooks.register_public_activity_related(fn)  # fn(activity) -> list[ActivityLink]
_public_related: list[PublicActionsProvider] = []


def register_public_activity_related(provider: PublicActionsProvider) -> None:
    if provider not in _public_related:
        _public_related.append(provider)


def public_activity_related(activity: Any) -> list[ActivityLink]:
    return [link for provider in _public_related for link in provider(activity)]


def activity_links(activity: Any, user: Any) -> list[ActivityLink]:
    return [link for provider in _activity_links for link in provider(activity, user)]


def public_activity_actions(activity: Any) -> list[ActivityLink]:
    return [link for provider in _public_actions for link in provider(activity)]
