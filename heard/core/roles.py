"""Staff roles and the rule predicates built on them.

Roles live here, at the bottom of the dependency graph, so that every app can declare
its permissions in its own ``rules.py`` from these predicates. A user with no role is a
member of the public: they may sign in to their own account, never to the staff area.
"""

from typing import Any

import rules
from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    ENGAGEMENT_OFFICER = "engagement_officer", "Engagement officer"
    ANALYST = "analyst", "Analyst"
    PROGRAMME_LEAD = "programme_lead", "Programme lead"
    DECISION_MAKER = "decision_maker", "Decision maker"
    SCRUTINY_READER = "scrutiny_reader", "Scrutiny reader"


STAFF_ROLES = frozenset(Role)


def role_of(user: Any) -> str:
    """The role of an authenticated, active user, or "" for anyone else."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", "") or "")


def has_role(*roles: Role) -> rules.Predicate:
    """A predicate true for an active user holding any of ``roles``."""
    wanted = frozenset(roles)
    name = "has_role:" + ",".join(sorted(r.value for r in wanted))

    @rules.predicate(name=name)
    def _has_role(user: Any) -> bool:
        return role_of(user) in wanted

    return _has_role


is_staff_member = has_role(*Role)
is_administrator = has_role(Role.ADMINISTRATOR)
is_engagement_officer = has_role(Role.ENGAGEMENT_OFFICER)
is_analyst = has_role(Role.ANALYST)
is_programme_lead = has_role(Role.PROGRAMME_LEAD)
is_decision_maker = has_role(Role.DECISION_MAKER)
is_scrutiny_reader = has_role(Role.SCRUTINY_READER)
