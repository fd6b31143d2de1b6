"""Issue 13, item 4: a notifiable reconfiguration is notified to the Secretary of State,
with the overview and scrutiny committee's view, before the decision; a call-in request
and the Secretary of State's answer are recorded, and the decision is held while a request
waits for an answer or once the proposal is called in (until directions are recorded)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.servicechange.assessment import reconfiguration, selectors, services
from heard.servicechange.assessment.models import SignificanceAssessment
from heard.servicechange.assessment.tests.helpers import make_proposal, make_significance
from heard.servicechange.proposals.models import Proposal

pytestmark = pytest.mark.django_db

VIEW = "The committee supports the move, provided the shuttle bus runs."
GROUNDS = "The consultation did not reach the villages without a bus service."


def lead():
    return staff_member(Role.PROGRAMME_LEAD)


def today() -> date:
    return timezone.localdate()


def refused(call) -> dict[str, list[str]] | list[str]:
    with pytest.raises(ValidationError) as error:
        call()
    err = error.value
    return err.message_dict if hasattr(err, "error_dict") else err.messages


def notifiable(days_ago: int = 30) -> Proposal:
    """A substantial change assessed ``days_ago`` days ago (the proposal made before)."""
    proposal = make_significance(make_proposal(), substantial=True)
    then = timezone.now() - timedelta(days=days_ago)
    Proposal.objects.filter(pk=proposal.pk).update(created_at=then - timedelta(days=1))
    SignificanceAssessment.objects.filter(proposal=proposal).update(assessed_at=then)
    proposal.refresh_from_db()
    return proposal


def notify(proposal, **changes):
    values = {"notified_on": today() - timedelta(days=20), "osc_view": VIEW} | changes
    return services.reconfiguration_notice_record(actor=lead(), proposal=proposal, **values)


def request(proposal, **changes):
    values = {
        "requested_on": today() - timedelta(days=10),
        "requested_by": "Anyshire County Council health overview and scrutiny committee",
        "grounds": GROUNDS,
    } | changes
    return services.call_in_request_record(actor=lead(), proposal=proposal, **values)


def answer(proposal, call_in, outcome, **changes):
    values = {
        "received_on": today() - timedelta(days=5),
        "outcome": outcome,
        "text": "The Secretary of State has considered the request and the evidence sent.",
    } | changes
    return services.call_in_response_record(
        actor=lead(), proposal=proposal, request=call_in, **values
    )


def holds(proposal, decided_on=None):
    return selectors.reconfiguration_for(proposal).hold_problems(decided_on)


def refusals(act: str) -> int:
    return AuditEvent.objects.filter(action=Action.ACT_REFUSED, after__act=act).count()


# The notice ---------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["", "n/a", "x", "-", "tbc", "Supportive."])
def test_the_committees_view_must_say_something(view):
    proposal = notifiable()
    problems = refused(lambda: notify(proposal, osc_view=view))
    assert list(problems) == ["osc_view"]
    assert refusals("significance.reconfiguration_notified") == 1


def test_a_notice_dated_before_the_significance_assessment_or_in_the_future_is_refused():
    proposal = notifiable(days_ago=30)
    early = refused(lambda: notify(proposal, notified_on=today() - timedelta(days=31)))
    assert "significance assessment found it notifiable" in early["notified_on"][0]
    future = refused(lambda: notify(proposal, notified_on=today() + timedelta(days=1)))
    assert "in the future" in future["notified_on"][0]
    old = refused(lambda: notify(proposal, notified_on=date(2025, 1, 1)))
    assert "notified_on" in old
    assert not AuditEvent.objects.filter(action=Action.RECONFIGURATION_NOTIFIED).exists()


def test_no_notice_for_a_proposal_that_is_not_notifiable():
    proposal = make_significance(make_proposal(), substantial=False)
    problems = refused(lambda: notify(proposal, notified_on=today()))
    assert "not find this a notifiable reconfiguration" in " ".join(problems)


def test_the_notice_twice_is_recorded_once_and_a_change_keeps_the_old_one_in_the_audit():
    proposal = notifiable()
    first = notify(proposal)
    assert notify(proposal).pk == first.pk
    assert AuditEvent.objects.filter(action=Action.RECONFIGURATION_NOTIFIED).count() == 1
    notify(proposal, notified_on=today() - timedelta(days=19))
    event = AuditEvent.objects.filter(action=Action.RECONFIGURATION_NOTIFIED).order_by("pk").last()
    assert event.before["osc_view"] == VIEW


@pytest.mark.parametrize("role", [Role.ANALYST, Role.SCRUTINY_READER, Role.DECISION_MAKER])
def test_only_those_who_keep_the_assessment_record_the_notice_or_a_call_in(role):
    proposal = notifiable()
    with pytest.raises(PermissionDenied):
        services.reconfiguration_notice_record(
            actor=staff_member(role), proposal=proposal, notified_on=today(), osc_view=VIEW
        )
    with pytest.raises(PermissionDenied):
        services.call_in_request_record(
            actor=staff_member(role),
            proposal=proposal,
            requested_on=today(),
            requested_by="The county council",
            grounds=GROUNDS,
        )


# The decision is held -------------------------------------------------------------------------


def test_a_notifiable_proposal_without_a_notice_is_held():
    proposal = notifiable()
    [problem] = holds(proposal)
    assert "record the notice to the Secretary of State" in problem
    notify(proposal)
    assert holds(proposal) == []
    # Not before the notice.
    [early] = holds(proposal, decided_on=today() - timedelta(days=21))
    assert "before the Secretary of State was told" in early


def test_a_call_in_request_holds_the_decision_until_answered():
    proposal = notifiable()
    notify(proposal)
    call_in = request(proposal)
    [problem] = holds(proposal)
    assert "waiting for the Secretary of State's answer" in problem
    answer(proposal, call_in, "no_call_in")
    assert holds(proposal, decided_on=today()) == []
    [early] = holds(proposal, decided_on=today() - timedelta(days=6))
    assert "before the Secretary of State's answer" in early


def test_a_call_in_holds_the_decision_until_directions_are_recorded():
    proposal = notifiable()
    notify(proposal)
    call_in = request(proposal)
    answer(proposal, call_in, "called_in")
    [problem] = holds(proposal)
    assert "called the proposal in" in problem
    # Only directions can follow a call-in.
    problems = refused(lambda: answer(proposal, call_in, "no_call_in"))
    assert "what follows is the Secretary of State's directions" in problems["outcome"][0]
    answer(
        proposal,
        call_in,
        "directions",
        received_on=today() - timedelta(days=1),
        text="The Secretary of State directs that the unit stays open until the bus runs.",
    )
    assert holds(proposal, decided_on=today()) == []
    # Settled: nothing more can follow.
    problems = refused(
        lambda: answer(
            proposal,
            call_in,
            "directions",
            received_on=today(),
            text="A second set of directions about something else entirely.",
        )
    )
    assert "nothing more can follow" in problems["outcome"][0]
    assert AuditEvent.objects.filter(action=Action.CALL_IN_ANSWERED).count() == 2
    assert refusals("significance.call_in_answered") == 2


def test_directions_cannot_come_before_a_call_in():
    proposal = notifiable()
    notify(proposal)
    call_in = request(proposal)
    problems = refused(lambda: answer(proposal, call_in, "directions"))
    assert "record first that the proposal was called in" in problems["outcome"][0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"requested_by": "n/a"}, "requested_by"),
        ({"requested_by": "x"}, "requested_by"),
        ({"grounds": "tbc"}, "grounds"),
        ({"requested_on": "future"}, "requested_on"),
        ({"requested_on": "before notice"}, "requested_on"),
    ],
)
def test_a_call_in_request_needs_who_grounds_and_a_possible_date(changes, field):
    proposal = notifiable()
    notify(proposal)
    if changes.get("requested_on") == "future":
        changes = {"requested_on": today() + timedelta(days=2)}
    elif changes.get("requested_on") == "before notice":
        changes = {"requested_on": today() - timedelta(days=25)}
    problems = refused(lambda: request(proposal, **changes))
    assert list(problems) == [field]
    assert not AuditEvent.objects.filter(action=Action.CALL_IN_REQUESTED).exists()
    assert refusals("significance.call_in_requested") == 1


def test_an_answer_before_the_request_or_in_the_future_is_refused():
    proposal = notifiable()
    notify(proposal)
    call_in = request(proposal)
    before = refused(
        lambda: answer(proposal, call_in, "no_call_in", received_on=today() - timedelta(days=11))
    )
    assert "the request was made" in before["received_on"][0]
    future = refused(
        lambda: answer(proposal, call_in, "no_call_in", received_on=today() + timedelta(days=1))
    )
    assert "in the future" in future["received_on"][0]
    placeholder = refused(lambda: answer(proposal, call_in, "no_call_in", text="ok"))
    assert list(placeholder) == ["text"]


def test_a_second_request_waits_for_the_first_to_be_answered_and_twice_is_once():
    proposal = notifiable()
    notify(proposal)
    first = request(proposal)
    assert request(proposal).pk == first.pk  # the same form sent twice
    problems = refused(
        lambda: request(proposal, requested_by="A patients' campaign group in the town")
    )
    assert "still open" in " ".join(problems)
    answer(proposal, first, "no_call_in")
    request(proposal, requested_by="A patients' campaign group in the town")
    assert AuditEvent.objects.filter(action=Action.CALL_IN_REQUESTED).count() == 2


def test_the_rules_alone():
    pending = reconfiguration.RequestFacts(requested_on=today(), requested_by="The council")
    assert reconfiguration.state(pending) == "pending"
    called = reconfiguration.RequestFacts(
        requested_on=today(), requested_by="The council", outcomes=("called_in",)
    )
    assert reconfiguration.response_problems(called, "directions") == []
    assert (
        reconfiguration.hold_problems(
            notifiable=False, notified_on=None, requests=[], decided_on=today()
        )
        == []
    )


def test_the_significance_page_and_timeline_show_the_call_in(staff_client):
    proposal = notifiable()
    notify(proposal)
    call_in = request(proposal)
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    page = client.get(reverse("assessment:significance", args=[proposal.pk])).content.decode()
    assert "Call-in by the Secretary of State" in page
    assert "The decision is held until the Secretary of State" in page
    answer(proposal, call_in, "called_in")
    page = client.get(reverse("assessment:significance", args=[proposal.pk])).content.decode()
    assert "held until the Secretary of State's directions" in page
    titles = [e.title for e in selectors.timeline(proposal)]
    assert "Secretary of State asked to call the proposal in" in titles
    assert "Secretary of State's answer to the call-in request: called in" in titles
