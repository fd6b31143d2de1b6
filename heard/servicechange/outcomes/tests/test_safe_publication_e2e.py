"""Issue 14, end to end: the response from the issue – a name, an address, a phone number,
a doctor's name and a diagnosis – sent through the public form with consent to publish,
analysed and chosen as a quote, reaches no public page until a person with the permission
approves the publication, and then only with typed placeholders in place of the address,
the health details and the names. Text typed by staff (what we heard, an activity's
"you said, we did", a group's minutes and what it heard) goes through the same check."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.analysis import services as analysis_services
from heard.analysis.models import Theme
from heard.analysis.tests.helpers import run
from heard.core.roles import Role
from heard.engagement import selectors_responses
from heard.engagement.models import Activity, Answer, Response
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal, respond_to_all

pytestmark = pytest.mark.django_db

RESPONSE = (
    "My name is Margaret Thompson and I live at 4 Mill Lane Northgate. Call me on "
    "01603 496123. Dr Patel at the surgery told me I have Parkinson's and dementia is "
    "starting, so I cannot drive to the new site."
)
# Every piece of it that identifies her; none may be on a public page.
PERSONAL = [
    "Margaret",
    "Thompson",
    "Mill Lane",
    "01603",
    "496123",
    "Patel",
    "Parkinson",
    "dementia",
]
# Her words that are not personal: the quote is there, redacted.
HER_WORDS = "so I cannot drive to the new site"

STAFF_TYPED = (
    "Joanne Bloggs of 12 Station Road, Wymford NR1 3SR (07700 900456) told us her "
    "multiple sclerosis makes the bus impossible."
)
# (A short forename that is also a word, "Jo", with a surname outside the engine's list is
# not found by the redactor: the approver's reading is the check for those.)
STAFF_PERSONAL = [
    "Joanne",
    "Bloggs",
    "Station Road",
    "NR1 3SR",
    "07700",
    "900456",
    "multiple sclerosis",
]


@pytest.fixture(autouse=True)
def _instant_forms(settings, monkeypatch):
    settings.HEARD_RESPONSE_MIN_SECONDS = 0
    selectors_responses.public_cache_clear()
    monkeypatch.setattr("heard.core.mail.transaction.on_commit", lambda fn, *a, **k: fn())


def _state(html: str) -> str:
    return re.search(r'name="state" value="([^"]+)"', html)[1]  # type: ignore[index]


def _send_through_the_public_form(client, activity: Activity, text: str, *, consent: bool) -> None:
    url = reverse("engagement_public:respond", args=[activity.slug])
    page = client.get(url)
    assert page.status_code == 200
    check = client.post(
        url,
        {"state": _state(page.content.decode()), "page": 0, "views": text, "action": "continue"},
    )
    html = check.content.decode()
    assert "Check your answers and send" in html
    sent = {"state": _state(html), "page": 1, "action": "send"}
    if consent:
        sent["publish_consent"] = "yes"
    assert client.post(url, sent).status_code == 302


def _absent(html: str, needles: list[str], where: str) -> None:
    found = [n for n in needles if n.lower() in html.lower()]
    assert not found, f"{found} on {where}"


def _public_pages(client, proposal, activity) -> dict[str, str]:
    urls = {
        "you said, we did index": reverse("outcomes_public:index"),
        "activity page": reverse("engagement_public:activity", args=[activity.slug]),
        "proposal page": reverse("proposals_public:detail", args=[proposal.slug]),
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    detail = client.get(reverse("outcomes_public:detail", args=[proposal.slug]))
    pages["you said, we did"] = detail.content.decode() if detail.status_code == 200 else ""
    return pages


def test_the_issue_response_goes_public_only_after_approval_and_redacted(
    client, make_staff, django_capture_on_commit_callbacks
) -> None:
    made = make_consulted_proposal(closed=False, sign_off=False)
    proposal, question = made["proposal"], made["question"]
    activity = made["consultation"].activity
    _send_through_the_public_form(client, activity, RESPONSE, consent=True)
    response = Response.objects.get(answers__text=RESPONSE)
    assert response.publish_consent and response.channel == "online"
    # The consultation closes; the analyst runs the analysis and codes her answer.
    Activity.objects.filter(pk=activity.pk).update(
        status="closed", closes_at=timezone.now() - timedelta(hours=1)
    )
    analyst = make_staff(Role.ANALYST)
    assert run(question, analyst, django_capture_on_commit_callbacks).status == "done"
    answer = Answer.objects.get(response=response)
    travel = Theme.objects.get(codeframe__question=question, name="Travel to the new site")
    analysis_services.coding_add(answer_id=answer.pk, theme=travel, actor=analyst)
    # ... and chooses it as the theme's quote at sign-off.
    analysis_services.codeframe_sign_off(
        codeframe=travel.codeframe, actor=analyst, quotes={travel.pk: [answer.pk]}
    )
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    respond_to_all(proposal, made["themes"], officer)
    services.theme_response_save(
        proposal=proposal,
        theme_id=travel.pk,
        actor=officer,
        heard=STAFF_TYPED,
        response="We will run a shuttle bus from the villages. We weighed this against the travel survey and the clinical advice.",
        changed="partly",
        how="A shuttle bus was added to the plan.",
    )
    services.outcome_update(
        proposal=proposal,
        actor=officer,
        summary="Most people were worried about travel to the new site.",
        why="",
        next_steps="The board decides in March.",
    )
    services.report_issue(proposal=proposal, actor=officer, issued_to="ICB board members")

    # Issued to the board: nothing of hers (or of the staff text) is public yet.
    before = _public_pages(client, proposal, activity)
    assert before["you said, we did"] == ""
    for where, html in before.items():
        _absent(html, [*PERSONAL, HER_WORDS, *STAFF_PERSONAL], where)

    # The approver sees the redactor's changes highlighted before approving.
    pending = selectors.publications_for_proposal(proposal)[0]
    assert pending.status == "pending"
    assert {"NAME", "ADDRESS", "PHONE", "HEALTH"} <= {f["type"] for f in pending.findings}
    approver = make_staff(Role.ADMINISTRATOR)
    client.force_login(approver)
    review = client.get(reverse("outcomes:publication", args=[pending.pk])).content.decode()
    assert "<mark" in review and "Station Road" in review and "[ADDRESS]" in review
    # A person without the permission cannot approve it; the approver does.
    client.force_login(make_staff(Role.ANALYST))
    refused = client.post(reverse("outcomes:publication", args=[pending.pk]), {"do": "approve"})
    assert refused.status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.status == "pending"
    client.force_login(approver)
    approved = client.post(reverse("outcomes:publication", args=[pending.pk]), {"do": "approve"})
    assert approved.status_code == 302
    client.logout()

    after = _public_pages(client, proposal, activity)
    public = after["you said, we did"]
    assert HER_WORDS in public, "her consented quote is published"
    assert "We will run a shuttle bus" in public
    for placeholder in ("[NAME]", "[ADDRESS]", "[PHONE]", "[HEALTH]"):
        assert placeholder in public, placeholder
    for where, html in after.items():
        _absent(html, [*PERSONAL, *STAFF_PERSONAL], where)


def test_a_refusal_sent_through_the_public_form_is_never_quoted(
    client, make_staff, django_capture_on_commit_callbacks
) -> None:
    """The same answer sent without consent to publish: it cannot be chosen as a quote."""
    made = make_consulted_proposal(closed=False, sign_off=False)
    question = made["question"]
    _send_through_the_public_form(client, made["consultation"].activity, RESPONSE, consent=False)
    analyst = make_staff(Role.ANALYST)
    run(question, analyst, django_capture_on_commit_callbacks)
    answer = Answer.objects.get(text=RESPONSE)
    travel = Theme.objects.get(codeframe__question=question, name="Travel to the new site")
    analysis_services.coding_add(answer_id=answer.pk, theme=travel, actor=analyst)
    with pytest.raises(analysis_services.AnalysisProblem, match="did not agree to publication"):
        analysis_services.codeframe_sign_off(
            codeframe=travel.codeframe, actor=analyst, quotes={travel.pk: [answer.pk]}
        )


def test_an_activity_feedback_box_with_personal_details_goes_out_only_redacted(
    client, make_staff
) -> None:
    """The activity's own "you said, we did" is the same mechanism: sent for approval,
    checked, and published with placeholders."""
    from heard.engagement import services as engagement_services
    from heard.engagement.tests.factories import ActivityFactory

    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    activity: Activity = ActivityFactory(status="closed", level="consult", kind="survey")  # type: ignore[assignment]
    engagement_services.activity_feedback_save(
        actor=officer, activity=activity, feedback=f"You said buses were poor. {STAFF_TYPED}"
    )
    page = reverse("engagement_public:activity", args=[activity.slug])
    _absent(client.get(page).content.decode(), ["You said buses were poor"], "activity page")
    item = services.feedback_publication_submit(activity=activity, actor=officer)
    assert {"ADDRESS", "PHONE", "HEALTH"} <= {f["type"] for f in item.findings}
    _absent(client.get(page).content.decode(), ["You said buses were poor"], "activity page")
    services.publication_approve(publication=item, actor=make_staff(Role.ADMINISTRATOR))
    for url in (page, reverse("outcomes_public:activity", args=[activity.slug])):
        html = client.get(url).content.decode()
        assert "You said buses were poor" in html and "[ADDRESS]" in html
        _absent(html, STAFF_PERSONAL, url)


def test_a_groups_minutes_what_we_heard_and_decisions_go_out_only_redacted(
    client, make_staff
) -> None:
    """Staff-typed minutes, "what we heard" and decisions of a standing group, holding a
    name, an address, a phone number and a diagnosis: approved by the chair, checked, the
    check shown highlighted to the person publishing, and published only redacted."""
    from heard.groups import services as group_services
    from heard.groups.tests.helpers import world

    setup = world()
    sg, minutes = setup["sg"], setup["minutes"]
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    group_services.standing_group_update(
        actor=officer,
        sg=sg,
        public=True,
        public_summary="People who had a stroke.",
        meets="Monthly",
    )
    group_services.minutes_draft_save(
        actor=officer, meeting=setup["meeting"], text=f"The group met. {STAFF_TYPED}"
    )
    group_services.heard_item_add(actor=officer, minutes=minutes, text=STAFF_TYPED)
    group_services.decision_record(
        actor=officer, meeting=setup["meeting"], text=f"Write back to her. {STAFF_TYPED}"
    )
    group_services.minutes_approve(actor=officer, minutes=minutes, approver=setup["chair"])
    client.force_login(officer)
    staff_page = client.get(reverse("groups:meeting", args=[setup["meeting"].pk])).content.decode()
    assert "<mark" in staff_page and "[ADDRESS]" in staff_page and "[HEALTH]" in staff_page
    client.post(reverse("groups:minutes_publish", args=[minutes.pk]))
    client.logout()
    public = client.get(
        reverse("groups_public:minutes", kwargs={"slug": sg.slug, "pk": setup["meeting"].pk})
    )
    assert public.status_code == 200
    html = public.content.decode()
    assert "The group met." in html and "Write back to her." in html
    assert html.count("[ADDRESS]") >= 3 and "[HEALTH]" in html and "[PHONE]" in html
    _absent(html, STAFF_PERSONAL, "the group's public minutes")
