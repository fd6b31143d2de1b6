"""The stage table, enforced: ``@stage(change, ...)`` on every service that writes to the
record of a service change (proposals, assessment, consultations, outcomes).

The decorated service runs inside a transaction that first locks the proposal's row and
reads ``stages.ALLOWED`` for its effective stage (``stages.effective``: a consultation
that has opened by its dates counts as formal consultation). A change the stage does not
allow is refused before the service body runs, with the reason in the words of the member
of staff, and the refusal is audited once the transaction has rolled back (who, what,
why). Each service keeps raising its own kind of error (the ``refuse`` factory), so the
pages that call it show the message as they show the service's other refusals; the error
carries ``stage_refused = True`` and ``change``.

Who may act is still checked by each service (``heard.core.actors.require``); the table
says *when*, the permission says *who*.
"""

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.db import transaction
from django.utils import timezone

from heard.audit.services import _in_transaction, audit_refusal
from heard.engagement import domain as engagement_domain
from heard.engagement.models import Activity
from heard.servicechange.proposals import stages
from heard.servicechange.proposals.domain import Status
from heard.servicechange.proposals.models import Proposal

P = ParamSpec("P")
R = TypeVar("R")

_NOT_OPENED = (engagement_domain.Status.DRAFT, engagement_domain.Status.SCHEDULED)


def consultation_opened(proposal_id: int) -> bool:
    """Whether the proposal's formal consultation has opened by its dates (on time even
    if the clock job is late)."""
    activity = Activity.objects.filter(consultation__proposal_id=proposal_id).first()
    if activity is None:
        return False
    now = timezone.now()
    return engagement_domain.effective_status(activity.facts(), now) not in _NOT_OPENED


def effective_stage(proposal: Proposal) -> Status:
    return stages.effective(proposal.status, consultation_opened=consultation_opened(proposal.pk))


def stage_refusal(proposal: Proposal, change: stages.Change) -> str:
    """Why the proposal's stage does not allow ``change`` ("" if it does). For pages that
    want to say so before anyone tries; the services check again under the lock."""
    return stages.refusal(effective_stage(proposal), change)


def _pk(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return getattr(value, "pk", None)


def stage(
    change: stages.Change,
    *,
    proposal: Callable[[dict[str, Any]], Any],
    refuse: Callable[[str], Exception],
    who: Callable[[Any], None],
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare the keyword-only service as making ``change``. ``proposal(kwargs)`` returns
    the proposal (or its primary key) the call changes – None when the call is about
    something outside a service change (the service then runs unchecked by the table);
    ``refuse(message)`` builds the error the service raises for the refusal; ``who(actor)``
    is the service's own permission check, made first (who before when: a person who may
    not act at all is told so, not what the stage allows)."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(service)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            who(kwargs.get("actor"))
            proposal_id = _pk(proposal(kwargs))
            if proposal_id is None:
                return service(*args, **kwargs)
            try:
                with transaction.atomic():
                    locked = Proposal.objects.select_for_update().get(pk=proposal_id)
                    reason = stage_refusal(locked, change)
                    if reason:
                        error = refuse(reason)
                        error.stage_refused = True  # type: ignore[attr-defined]
                        error.change = change  # type: ignore[attr-defined]
                        raise error
                    return service(*args, **kwargs)
            except Exception as exc:
                if (
                    getattr(exc, "stage_refused", False)
                    and not getattr(checked, "heard_refusals_audited", False)
                    and not getattr(exc, "_heard_refusal_audited", False)
                    and not _in_transaction()
                ):
                    audit_refusal(
                        actor=kwargs.get("actor"),
                        action=f"stage.{change}",
                        subject=("proposals.proposal", proposal_id),
                        reason=str(getattr(exc, "message", "") or exc),
                    )
                    setattr(exc, "_heard_refusal_audited", True)  # noqa: B010
                raise

        checked.heard_change = change  # type: ignore[attr-defined]
        return checked

    return decorate


class StageRefused(ValueError):
    """The default refusal: the stage of the proposal does not allow the change."""
