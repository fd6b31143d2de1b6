"""Extension points for apps above engagement (e.g. the insight bank).

engagement may not import those apps, so they register here in ``AppConfig.ready``:

    from heard.engagement import hooks
    hooks.on_response_submitted(my_function)   # my_function(response) -> None

``response_submitted(response)`` is called by the engagement services inside the
transaction that stores a response (from any channel: online, paper, phone, event,
import), so whatever a hook writes commits or rolls back with the response.
"""

from collections.abc import Callable
from typing import Any

ResponseHook = Callable[[Any], None]
_response_hooks: list[ResponseHook] = []


def on_response_submitted(hook: ResponseHook) -> None:
    if hook not in _response_hooks:
        _response_hooks.append(hook)


def response_submitted(response: Any) -> None:
    for hook in _response_hooks:
        hook(response)
