"""The staff home: each role sees the work it owes now, in a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.analysis.models import AnalysisRun
from heard.core.roles import Role
from heard.engagement.models import Activity, Response
from heard.engagement.tests.factories import ActivityFactory
from heard.involvement.tests.factories import InvitationFactory, OpportunityFactory
from heard.people.models import ImportBatch
from heard.servicechange.consultations.models import Council
from heard.servicechange.outcomes.models import ReportIssue
from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal

pytestmark = pytest.mark.django_db
URL = reverse("staff:dashboard")


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _officer_world(n: int) -> None:
    from heard.engagement.models import FormatRequest

    now = timezone.now()
    for i in range(n):
        asked: Activity = ActivityFactory(title=f"Asked {i}", status="draft")  # type: ignore[assignment]
        FormatRequest.objects.create(
            activity=asked,
            format="other_language",
            language="Polish",
            contact_email="a@example.org",
            due_by=timezone.localdate() - timedelta(days=1),
        )
        ActivityFactory(
            title=f"Closed survey {i}",
            status=Activity.Status.CLOSED,
            opens_at=now - timedelta(days=40),
            closes_at=now - timedelta(days=2 + i),
        )
        # Open as stored, but its closing time has passed: feedback is owed all the same.
        ActivityFactory(
            title=f"Lapsed survey {i}",
            status=Activity.Status.OPEN,
            opens_at=now - timedelta(days=40),
            closes_at=now - timedelta(hours=1 + i),
        )
        ActivityFactory(title=f"Closing soon {i}", closes_at=now + timedelta(days=3))
        ActivityFactory(
            title=f"Opening soon {i}",
            status=Activity.Status.SCHEDULED,
            opens_at=now + timedelta(days=2),
            closes_at=now + timedelta(days=30),
        )
        opportunity = OpportunityFactory(title=f"Reference group {i}")
        InvitationFactory.create_batch(2, opportunity=opportunity)
        ImportBatch.objects.create(
            filename=f"members-{i}.csv", file_sha256=f"{i:064d}", status="done", rejected_rows=3
        )
    # Not owed: information only, feedback given, or far off.
    ActivityFactory(
        title="Newsletter",
        level=Activity.Level.INFORM,
        status=Activity.Status.CLOSED,
        closes_at=now - timedelta(days=3),
    )
    ActivityFactory(
        title="Feedback given",
        status=Activity.Status.FEEDBACK_PUBLISHED,
        closes_at=now - timedelta(days=3),
        feedback="You said, we did.",
        feedback_published_at=now,
    )
    ActivityFactory(title="Open for weeks", closes_at=now + timedelta(days=60))


def test_officer_home_shows_feedback_owed_dates_invitations_and_imports(
    staff_client, django_assert_max_num_queries
):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    _officer_world(1)
    with django_assert_max_num_queries(17):
        response = client.get(URL)
    main = _main(response)
    assert "<strong>2</strong> activities have closed without “you said, we did”" in main
    assert (
        '<strong>1</strong> waiting, <strong class="nhsuk-tag nhsuk-tag--red">1 overdue</strong>'
        in main
    )
    assert "Closed survey 0" in main and "Lapsed survey 0" in main
    assert "Newsletter" not in main and "Feedback given" not in main
    assert "Closing soon 0" in main and "Opening soon 0" in main
    assert "Open for weeks" not in main
    assert "<strong>2</strong> invitations to open opportunities" in main
    assert "Reference group 0</a>: 2 not answered" in main
    assert "members-0.csv</a>, 3 rows turned away" in main


def test_officer_home_queries_do_not_grow_with_the_data(
    staff_client, django_assert_max_num_queries
):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    _officer_world(12)
    with django_assert_max_num_queries(17):
        response = client.get(URL)
    main = _main(response)
    assert "<strong>24</strong> activities have closed" in main
    assert "<strong>24</strong> invitations" in main
    # Lists show five; the count says how many there are.
    assert main.count("Closing soon") == 5


def test_analyst_home_shows_answers_to_review_out_of_date_and_unconfirmed_themes(
    staff_client, django_assert_max_num_queries
):
    client, _ = staff_client(Role.ANALYST)
    made = make_consulted_proposal(themes={"Travel": [("Too far", "negative")] * 3})
    question = made["question"]
    AnalysisRun.objects.create(
        question=question, status="done", created_at=timezone.now() - timedelta(days=1)
    )
    version = question.version
    Response.objects.create(
        activity=version.questionnaire.activity,
        questionnaire=version.questionnaire,
        version=version,
        reference="LATE0001",
    )
    with django_assert_max_num_queries(13):
        response = client.get(URL)
    main = _main(response)
    assert "answers no person has reviewed yet" in main
    assert reverse("analysis:review", args=[question.pk]) in main
    assert "Responses have arrived since the last analysis of" in main
    assert reverse("analysis:question", args=[question.pk]) in main
    assert "no person has yet accepted on any answer" in main
    for _ in range(7):  # more questions and answers, the same number of queries
        make_consulted_proposal()
    with django_assert_max_num_queries(13):
        client.get(URL)


def test_analyst_home_with_nothing_to_do(staff_client):
    client, _ = staff_client(Role.ANALYST)
    main = _main(client.get(URL))
    assert "<strong>0</strong> answers no person has reviewed yet" in main
    assert "None: every analysis includes every response." in main


def test_lead_home_shows_failing_checks_and_dates_on_own_proposals_only(
    staff_client, make_staff, django_assert_max_num_queries
):
    client, lead = staff_client(Role.PROGRAMME_LEAD)
    made = make_consulted_proposal(closed=False, status="assurance")
    proposal = made["proposal"]
    proposal.lead = lead
    proposal.save()
    consultation = made["consultation"]
    consultation.osc_comments_due_on = date(2030, 1, 15)
    consultation.save()
    other = make_consulted_proposal(closed=False, status="assurance")["proposal"]
    other.lead = make_staff(Role.PROGRAMME_LEAD)
    other.save()
    with django_assert_max_num_queries(60):
        response = client.get(URL)
    main = _main(response)
    assert proposal.title in main and other.title not in main
    assert "There is no engagement plan yet" in main
    assert "stage 2 assurance checkpoint is not yet passed" in main
    assert "15 January 2030: Comments due from overview and scrutiny" in main


def test_lead_home_reads_a_bounded_number_of_proposals(staff_client, django_assert_max_num_queries):
    client, lead = staff_client(Role.PROGRAMME_LEAD)
    for _ in range(7):
        made = make_consulted_proposal(closed=False, status="assurance")
        made["proposal"].lead = lead
        made["proposal"].save()
    # Five proposals are checked (each through the live Gunning panel), whatever the number.
    with django_assert_max_num_queries(150):
        response = client.get(URL)
    assert "7 proposals not yet decided. The 5 changed most recently are checked here." in (
        _main(response)
    )


def test_board_home_shows_reports_awaiting_a_decision(staff_client, django_assert_max_num_queries):
    client, _ = staff_client(Role.DECISION_MAKER)
    made = make_consulted_proposal()
    outcome_proposal = made["proposal"]
    from heard.servicechange.outcomes.models import Outcome

    outcome = Outcome.objects.create(proposal=outcome_proposal)
    ReportIssue.objects.create(outcome=outcome, issued_to="The ICB board")
    with django_assert_max_num_queries(13):  # + outcomes overdue (12 weeks from the close)
        response = client.get(URL)
    main = _main(response)
    assert reverse("outcomes:report", args=[outcome_proposal.pk]) in main
    assert "to The ICB board" in main
    assert "Proposals with a decision pending" in main


def test_scrutiny_home_shows_consultations_shared_with_committees(
    staff_client, django_assert_max_num_queries
):
    client, _ = staff_client(Role.SCRUTINY_READER)
    made = make_consulted_proposal()
    consultation = made["consultation"]
    consultation.osc_comments_due_on = date(2030, 2, 1)
    consultation.save()
    Council.objects.create(
        consultation=consultation,
        name="Norfolk County Council",
        committee="Health Overview and Scrutiny Committee",
        contact_email="hosc@example.gov.uk",
    )
    make_consulted_proposal()  # no committee: not shown
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    main = _main(response)
    assert "Health Overview and Scrutiny Committee" in main
    assert "Comments due: 1 February 2030" in main
    assert main.count(reverse("consultations:osc", args=[consultation.pk])) == 1


@pytest.mark.parametrize("role", list(Role))
def test_every_role_gets_a_home(staff_client, role):
    client, _ = staff_client(role)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Everything you can reach" in response.content.decode()
