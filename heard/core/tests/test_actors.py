"""The one permission check services make (heard.core.actors.require)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from heard.core.actors import CLOCK, NotPermitted, person, require, who_may


class _Someone:
    is_authenticated = True

    def __init__(self, *perms: str) -> None:
        self.perms = set(perms)

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return perm in self.perms


def test_a_person_with_the_permission_passes_and_anyone_else_is_refused_with_a_message():
    require(_Someone("outcomes.record_decision"), "outcomes.record_decision", to="decide")
    with pytest.raises(NotPermitted) as refused:
        require(_Someone(), "outcomes.record_decision", to="record the decision")
    assert str(refused.value) == (
        "You do not have permission to record the decision: "
        "only an administrator or a decision maker may."
    )
    assert isinstance(refused.value, PermissionDenied)
    assert refused.value.permission == "outcomes.record_decision"
    for nobody in (None, AnonymousUser()):
        with pytest.raises(NotPermitted, match="Sign in as staff who may decide"):
            require(nobody, "outcomes.record_decision", to="decide")


def test_the_clock_passes_only_where_the_service_says_the_system_may():
    require(CLOCK, "engagement.change_activities", to="close an activity", system=True)
    with pytest.raises(NotPermitted, match="Heard's clock may not close an activity"):
        require(CLOCK, "engagement.change_activities", to="close an activity")
    assert person(CLOCK) is None and person(AnonymousUser()) is None


def test_who_may_reads_the_rules():
    assert who_may("consultations.change_consultations") == (
        "an administrator, an engagement officer or a programme lead"
    )
    assert who_may("no.such_permission") == ""
