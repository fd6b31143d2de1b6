"""Who may call a service, tried through the service itself (not the view).

Each app's ``test_service_permissions.py`` lists its services that change the record,
the roles allowed to call each, and a call with valid input; the test is parametrised
over every staff role, a member of the public and someone not signed in:

- an allowed role's call succeeds (or, where the case says so, is refused by a rule of
  the domain – never by the permission check);
- anyone else is refused with ``NotPermitted`` and a message, and nothing changes: no
  event but a refusal is added to the audit trail;
- for a legally significant act (``act``), the refusal itself is in the audit trail:
  who tried (their id and role), what (the act and its subject) and why.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from heard.accounts.models import User
from heard.accounts.tests.factories import staff_member
from heard.audit.models import Action, AuditEvent
from heard.core.actors import NotPermitted
from heard.core.roles import Role

MEMBER = "member_of_the_public"
ANONYMOUS = "anonymous"
EVERYONE: list[str] = [*(r.value for r in Role), MEMBER, ANONYMOUS]


def actor_of(who: str) -> User | AnonymousUser:
    if who == ANONYMOUS:
        return AnonymousUser()
    if who == MEMBER:
        user, _ = User.objects.get_or_create(
            email="member@public.heard.test", defaults={"full_name": "Sam Public", "role": ""}
        )
        return user
    return staff_member(Role(who))


@dataclass(frozen=True)
class Case:
    """One service: ``setup()`` makes what it needs (a dict), ``call(actor, made)`` calls
    it. ``allowed`` are the roles that may; ``act`` names a legally significant act whose
    refusal is audited against ``subject(made)``. ``domain_refusal``: an allowed call is
    expected to be refused by a rule of the domain (this exception), not succeed."""

    service: str
    allowed: frozenset[str]
    call: Callable[[Any, dict[str, Any]], Any]
    setup: Callable[[], dict[str, Any]] = dict
    act: str = ""
    subject: Callable[[dict[str, Any]], tuple[str, str]] | None = None
    domain_refusal: type[BaseException] | None = None


def params(cases: list[Case]) -> list[Any]:
    return [
        pytest.param(case, who, id=f"{case.service}-{who}") for case in cases for who in EVERYONE
    ]


def roles(*allowed: Role) -> frozenset[str]:
    return frozenset(r.value for r in allowed)


def _changes() -> int:
    return AuditEvent.objects.exclude(action=Action.ACT_REFUSED).count()


def try_as(case: Case, who: str) -> None:
    made = case.setup()
    actor = actor_of(who)
    changes = _changes()
    refusals = AuditEvent.objects.filter(action=Action.ACT_REFUSED).count()
    if who in case.allowed:
        if case.domain_refusal is not None:
            with pytest.raises(case.domain_refusal) as refused:
                case.call(actor, made)
            assert not isinstance(refused.value, NotPermitted), refused.value
            return
        case.call(actor, made)
        assert _changes() > changes, f"{case.service} by {who} changed nothing"
        return
    with pytest.raises(NotPermitted) as refused:
        case.call(actor, made)
    message = str(refused.value)
    assert "permission" in message or "Sign in" in message, message
    assert _changes() == changes, f"{case.service} refused for {who} but changed the record"
    events = AuditEvent.objects.filter(action=Action.ACT_REFUSED).order_by("sequence")
    if not case.act:
        return
    assert events.count() == refusals + 1, f"the refused {case.act} left no audit event"
    event = events.last()
    assert event is not None
    assert event.actor_id == (actor.pk if who != ANONYMOUS else None)
    assert event.actor_role == (who if who in {r.value for r in Role} else "")
    assert (event.after or {}).get("act") == case.act
    assert (event.after or {}).get("reason") == message
    if case.subject is not None:
        assert (event.subject_type, event.subject_id) == case.subject(made)
