"""The proposals pages as staff and the public use them."""

import pytest
from django.urls import reverse

from heard.accounts.tests.factories import staff_member
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement.tests.factories import ActivityFactory
from heard.insight.tests.helpers import add_insights
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.lifecycle.facts import facts as lifecycle_facts
from heard.servicechange.proposals import services
from heard.servicechange.proposals.models import Proposal
from heard.servicechange.proposals.parts import ProposalLink
from heard.servicechange.proposals.tests.helpers import make_proposal, topic

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "title": "Move the minor injuries unit",
        "description": "The unit in Cromer would move to the new health centre.",
        "services": "Minor injuries",
        "localities": ["North Norfolk"],
        "people_affected": "12000",
    }
    data.update(overrides)
    return data


def test_list_filters_by_stage_and_searches_titles(staff_client):
    client, _reader = staff_client(Role.SCRUTINY_READER)
    make_proposal(title="Minor injuries unit")
    moved = make_proposal(title="Community beds")
    # A scrutiny reader reads; a programme lead moves the proposal on.
    lead = staff_member(Role.PROGRAMME_LEAD)
    lifecycle_services.proposal_transition(proposal=moved, target="early_engagement", actor=lead)
    page = client.get(reverse("proposals:list"), {"status": "early_engagement"}).content.decode()
    assert "Community beds" in page and "Minor injuries unit" not in page
    page = client.get(reverse("proposals:list"), {"q": "minor"}).content.decode()
    assert "Minor injuries unit" in page and "Community beds" not in page
    Proposal.objects.filter(pk=moved.pk).update(status="options")
    page = client.get(reverse("proposals:list")).content.decode()
    assert page.count("Needs attention") == 1  # options without early engagement
    page = client.get(reverse("proposals:list"), {"q": "minor"}).content.decode()
    # A scrutiny reader reads but is not offered the button to log a proposal.
    assert reverse("proposals:create") not in page


def test_create_preview_shows_what_we_know_without_saving(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    add_insights(["The minor injuries unit in Cromer is a lifeline."], locality="North Norfolk")
    response = client.post(reverse("proposals:create"), {**_form(), "action": "preview"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "What we already know" in page
    assert "lifeline" in page
    assert not Proposal.objects.exists()


def test_create_saves_and_goes_to_what_we_know(staff_client):
    client, user = staff_client(Role.PROGRAMME_LEAD)
    urgent = topic()
    response = client.post(
        reverse("proposals:create"),
        {**_form(), "topics": [urgent.pk], "lead": user.pk, "action": "save"},
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:know", kwargs={"pk": proposal.pk})
    assert proposal.people_affected == 12000 and proposal.lead == user
    assert list(proposal.topics.all()) == [urgent]


def test_create_bad_input_gives_clear_errors(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    response = client.post(
        reverse("proposals:create"),
        _form(title="", description="", people_affected="lots", localities=["Atlantis"]),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a title for the proposal" in page
    assert "Describe the case for change" in page
    assert "Enter the number of people affected as a whole number" in page
    assert "from the options given" in page
    assert not Proposal.objects.exists()


def test_wrong_role_cannot_change(staff_client):
    proposal = make_proposal()
    client, _ = staff_client(Role.ANALYST)
    assert client.post(reverse("proposals:create"), _form()).status_code == 403
    url = reverse("proposals:move", kwargs={"pk": proposal.pk})
    assert client.post(url, {"target": "early_engagement"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "under_consideration"


def test_hub_shows_flags_links_and_refused_reasons_in_an_error_summary(staff_client, monkeypatch):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = make_proposal()
    Proposal.objects.filter(pk=proposal.pk).update(status="options")

    def links(p, user):
        return [ProposalLink(title="Option appraisal", url="/staff/x/", status="Started")]

    monkeypatch.setattr("heard.servicechange.evidence.hooks.links", links)
    page = client.get(reverse("proposals:detail", kwargs={"pk": proposal.pk})).content.decode()
    assert "moved to options with no early engagement" in page
    assert "Option appraisal" in page and "Started" in page
    # the refused move is shown with its reasons and no button; the way back is secondary
    assert "is not possible yet" in page and "Record at least two options" in page
    assert "Move to Significance assessment</button>" not in page
    assert "nhsuk-button--secondary" in page and "Go back to early engagement</button>" in page
    response = client.post(
        reverse("proposals:move", kwargs={"pk": proposal.pk}),
        {"target": "significance_assessment"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "nhsuk-error-summary" in page
    assert "cannot move to Significance assessment yet" in page
    assert "Record at least two options" in page


def test_move_succeeds_and_a_repeat_is_harmless(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    proposal = make_proposal()
    url = reverse("proposals:move", kwargs={"pk": proposal.pk})
    assert client.post(url, {"target": "early_engagement"}).status_code == 302
    assert client.post(url, {"target": "early_engagement"}).status_code == 302
    assert proposal.transitions.count() == 2  # logged + one move


def test_record_what_it_drew_on_from_the_know_page(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    (insight,) = add_insights(["The minor injuries unit is too far by bus."])
    proposal = make_proposal()
    page = client.get(reverse("proposals:know", kwargs={"pk": proposal.pk})).content.decode()
    assert "too far by bus" in page and "We drew on this" in page
    url = reverse("proposals:evidence_add", kwargs={"pk": proposal.pk})
    assert client.post(url, {"insight": insight.pk}).status_code == 302
    assert client.post(url, {"insight": insight.pk}).status_code == 302  # double submit
    assert proposal.evidence.count() == 1
    bad = client.post(url, {"note": "  "})
    assert bad.status_code == 400
    assert "Describe the evidence the proposal drew on" in bad.content.decode()
    missing = client.post(url, {"insight": 999999})
    assert "That insight no longer exists." in missing.content.decode()


def test_privacy_needs_a_reason(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = make_proposal()
    url = reverse("proposals:privacy", kwargs={"pk": proposal.pk})
    response = client.post(url, {"is_private": "yes", "reason": ""})
    assert response.status_code == 200
    assert "Give the reason for keeping this proposal private" in response.content.decode()
    proposal.refresh_from_db()
    assert not proposal.is_private
    client.post(url, {"is_private": "yes", "reason": "Estates negotiation under way"})
    proposal.refresh_from_db()
    assert proposal.is_private
    assert AuditEvent.objects.filter(action=Action.PROPOSAL_PRIVACY_CHANGED).count() == 1


def test_plan_pages_add_a_line_and_link_an_activity(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    proposal = make_proposal()
    from heard.people.models import Group

    group = Group.objects.create(name="Cromer PPG", kind="ppg")
    add = reverse("proposals:plan_item_add", kwargs={"pk": proposal.pk})
    bad = client.post(add, {"methods": "Drop-in"})
    assert "Choose a stakeholder from the map or describe the audience" in bad.content.decode()
    client.post(add, {"stakeholder": group.pk, "methods": "Drop-in sessions"})
    item = proposal.engagement_plan.items.get()
    activity = ActivityFactory(title="Cromer drop-in")
    client.post(
        reverse("proposals:activity_link", kwargs={"pk": proposal.pk}),
        {"activity": activity.pk, "plan_item": str(item.pk), "is_early_engagement": "on"},
    )
    page = client.get(reverse("proposals:plan", kwargs={"pk": proposal.pk})).content.decode()
    assert "Cromer PPG" in page and "Cromer drop-in" in page and "Under way" in page
    assert lifecycle_facts(proposal).early_engagement_count == 1
    dates = client.post(
        reverse("proposals:plan_edit", kwargs={"pk": proposal.pk}),
        {"starts_on": "2026-05-01", "ends_on": "2026-04-01"},
    )
    assert "The end date must be on or after the start date" in dates.content.decode()


def test_timeline_page_lists_the_history(staff_client):
    client, _board = staff_client(Role.DECISION_MAKER)
    lead = staff_member(Role.PROGRAMME_LEAD)  # a decision maker reads the timeline
    proposal = make_proposal(actor=lead)
    lifecycle_services.proposal_transition(proposal=proposal, target="early_engagement", actor=lead)
    page = client.get(reverse("proposals:timeline", kwargs={"pk": proposal.pk})).content.decode()
    assert "Logged as under consideration" in page
    assert "Moved to Early engagement" in page


def test_public_pages_show_only_shared_proposals_with_sections(client, make_staff, monkeypatch):
    actor = make_staff()
    idea = make_proposal(title="Only an idea")
    shared = make_proposal(title="Minor injuries unit")
    lifecycle_services.proposal_transition(proposal=shared, target="early_engagement", actor=actor)
    services.activity_link(
        proposal=shared, activity=ActivityFactory(title="Tell us about Cromer"), actor=actor
    )

    def sections(p):
        return [ProposalLink(title="The formal consultation", url="/consultations/x/")]

    monkeypatch.setattr(
        "heard.servicechange.consultations.proposal_hooks.public_sections", sections
    )
    index = client.get(reverse("proposals_public:index")).content.decode()
    page = client.get(
        reverse("proposals_public:detail", kwargs={"slug": shared.slug})
    ).content.decode()
    assert "Minor injuries unit" in index and "Only an idea" not in index
    assert "Tell us about Cromer" in page
    assert "The formal consultation" in page
    assert "Where we are: Talking with people early" in page
    assert "Early engagement" not in page
    missing = client.get(reverse("proposals_public:detail", kwargs={"slug": idea.slug}))
    assert missing.status_code == 404
