"""Who is acting when a service changes the record, and the one check every service makes.

Every service that changes the record takes the ``actor`` who asked for the change and
checks the actor's permission itself with :func:`require` – not only the view: an API,
a management command or a future page calls the same service, and must meet the same
rule. A refusal is a :class:`NotPermitted` (Django's ``PermissionDenied``, so a view
turns it into a 403) whose message says what the actor may not do. Services of legally
significant acts (open, close, decide, issue, publish, override) are also decorated with
``heard.audit.services.audits_refusals``, so the refusal is recorded in the audit trail
with who tried, what, and why it was refused.

Heard acting on its own – the clock opening and closing activities on time, a background
task – is not a person and holds no permission. It acts as a :class:`SystemActor`
(``CLOCK``, ``TASK``, ``SETUP``), passed explicitly, and only where a service says it may
(``require(..., system=True)``); ``None`` is never a silent way past the check.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, Protocol

import rules
from django.core.exceptions import PermissionDenied

from heard.core.roles import Role


class PermissionHolder(Protocol):
    """What a service needs of the person acting (``heard.accounts.models.User``, or
    Django's ``AnonymousUser`` for someone not signed in)."""

    @property
    def is_authenticated(self) -> bool: ...

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


@dataclass(frozen=True)
class SystemActor:
    """Heard itself: the clock or a background task. Recorded in the audit trail with no
    person (``actor_id`` empty, no role); says what it is in the event."""

    name: str
    is_authenticated: ClassVar[bool] = False
    is_active: ClassVar[bool] = False
    pk: ClassVar[None] = None
    role: ClassVar[str] = ""

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False

    def __str__(self) -> str:
        return f"Heard ({self.name})"


CLOCK = SystemActor("clock")  # opening and closing on time (manage.py heard_clock)
TASK = SystemActor("task")  # a background task finishing what a person started
SETUP = SystemActor("setup")  # what Heard makes for itself on first use


class NotPermitted(PermissionDenied):
    """The actor may not do this. ``problems`` (one message) as the apps' other refusals
    have, so a page can show it like any other refusal."""

    def __init__(self, message: str, *, permission: str) -> None:
        super().__init__(message)
        self.permission = permission
        self.problems = [message]


def require(
    actor: PermissionHolder | SystemActor | None,
    permission: str,
    *,
    to: str,
    obj: Any = None,
    system: bool = False,
    refusal: type[NotPermitted] = NotPermitted,
) -> None:
    """Refuse unless ``actor`` holds ``permission`` (django-rules, see each app's
    ``rules.py``). ``to`` says the act in words for the message ("record the decision").

    ``system=True`` lets Heard's own clock or tasks (a :class:`SystemActor`) through:
    only services that the system really calls say so. Nobody (``None``), someone not
    signed in, or a signed-in person without the permission is refused.
    """
    if isinstance(actor, SystemActor):
        if system:
            return
        raise refusal(f"Heard's {actor.name} may not {to}.", permission=permission)
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise refusal(f"Sign in as staff who may {to}.", permission=permission)
    if not actor.has_perm(permission, obj):
        who = who_may(permission)
        raise refusal(
            f"You do not have permission to {to}" + (f": only {who} may." if who else "."),
            permission=permission,
        )


@dataclass(frozen=True)
class _Holder:
    """Someone holding ``role``, to ask the rules who may do something."""

    role: str
    is_authenticated: ClassVar[bool] = True
    is_active: ClassVar[bool] = True


def _article(label: str) -> str:
    return ("an " if label[0] in "aeiou" else "a ") + label


@cache
def who_may(permission: str) -> str:
    """The staff roles holding ``permission`` in words ("an administrator or a decision
    maker"), read from the rules themselves so the message cannot drift from them."""
    names = [
        _article(role.label.lower())
        for role in Role
        if rules.has_perm(permission, _Holder(role.value))
    ]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def person(actor: object) -> Any:
    """The signed-in person acting (for a "by" column), or None for the system."""
    return actor if getattr(actor, "is_authenticated", False) else None
