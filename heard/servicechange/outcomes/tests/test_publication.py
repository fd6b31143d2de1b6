"""The outcome report as issued is a stored, immutable publication; edits after issue are
refused (or go through reopen → a new version); and "you said, we did" – a consultation's
outcome or an activity's feedback – goes public only through one approval step."""

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.analysis import services as analysis_services
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.outcomes.models import Publication, ReportPublication
from heard.servicechange.outcomes.services import OutcomeRefused
from heard.servicechange.outcomes.tests.helpers import (
    make_consulted_proposal,
    respond_to_all,
    sign_off_codeframe,
)

pytestmark = pytest.mark.django_db

CHANGERS = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD, Role.ANALYST}


def _issued(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    respond_to_all(proposal, made["themes"], officer)
    services.outcome_update(
        proposal=proposal,
        actor=officer,
        summary="Most people were worried about travel.",
        why="A substantial change.",
        next_steps="We will review it.",
    )
    services.report_issue(proposal=proposal, actor=officer, issued_to="ICB board members")
    return made, officer


def _stored(proposal):
    issued = ReportPublication.objects.get(outcome__proposal=proposal, version=1)
    return (
        bytes(issued.pdf),
        issued.html,
        issued.body_html,
        issued.pdf_sha256,
        issued.html_sha256,
        issued.content_sha256,
        issued.considerations,
        issued.text,
        issued.themes,
    )


def test_issuing_stores_the_exact_bytes_and_their_hashes_in_the_audit_trail(make_staff) -> None:
    made, _ = _issued(make_staff)
    issued = ReportPublication.objects.get(outcome__proposal=made["proposal"])
    data = bytes(issued.pdf)
    assert data.startswith(b"%PDF-")
    assert issued.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert issued.html_sha256 == hashlib.sha256(issued.html.encode()).hexdigest()
    assert "Issued to ICB board members on" in issued.html
    assert issued.text["summary"] == "Most people were worried about travel."
    assert {c["theme_name"] for c in issued.considerations} == {"Travel to the new site", "Parking"}
    assert [(t["name"], t["answers"]) for t in issued.themes] == [
        ("Travel to the new site", 3),
        ("Parking", 2),
    ]
    after = AuditEvent.objects.get(action=Action.OUTCOME_REPORT_ISSUED).after or {}
    assert after["pdf_sha256"] == issued.pdf_sha256
    assert after["html_sha256"] == issued.html_sha256
    assert after["content_sha256"] == issued.content_sha256
    assert after["version"] == 1
    # The stored row cannot be changed or deleted through the ORM.
    issued.html = "rewritten"
    with pytest.raises(ValueError, match="never changes"):
        issued.save()
    with pytest.raises(ValueError, match="never deleted"):
        issued.delete()


@pytest.mark.parametrize("role", list(Role))
def test_every_edit_after_issue_is_refused_and_the_stored_report_is_unchanged(
    make_staff, role
) -> None:
    """Each role, through the services, tries every change that would alter what was
    issued: each is refused with a clear message and the stored bytes are unchanged."""
    made, _ = _issued(make_staff)
    proposal = made["proposal"]
    before = _stored(proposal)
    actor = make_staff(role)
    expected = "reopen it with a reason" if role in CHANGERS else "permission"
    attempts = {
        "summary": lambda: services.outcome_update(
            proposal=proposal, actor=actor, summary="Most people agreed", why="", next_steps=""
        ),
        "theme response": lambda: services.theme_response_save(
            proposal=proposal,
            theme_id=made["themes"]["Parking"].pk,
            actor=actor,
            response="We changed our mind. We weighed this against the travel survey and the clinical advice.",
            changed="no",
        ),
        "re-issue": lambda: services.report_issue(
            proposal=proposal, actor=actor, issued_to="Someone else"
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(OutcomeRefused) as refused:
            attempt()
        message = str(refused.value)
        if name == "re-issue" and role in CHANGERS:
            assert "reopen it with a reason before issuing" in message, name
        else:
            assert expected in message, (name, message)
    if role not in CHANGERS:
        with pytest.raises(OutcomeRefused, match="permission"):
            services.report_reopen(proposal=proposal, actor=actor, reason="We want to change it.")
    assert _stored(proposal) == before
    assert ReportPublication.objects.filter(outcome__proposal=proposal).count() == 1


def test_a_placeholder_reason_is_refused(make_staff) -> None:
    made, officer = _issued(make_staff)
    for reason in ("x", "-", ".", "n/a", "", "   ", "N/A", "changes"):
        with pytest.raises(OutcomeRefused, match="Give the reason"):
            services.report_reopen(proposal=made["proposal"], actor=officer, reason=reason)
    assert not AuditEvent.objects.filter(action=Action.OUTCOME_REPORT_REOPENED).exists()


def test_reopen_and_reissue_make_a_superseding_version_and_keep_both(make_staff) -> None:
    made, officer = _issued(make_staff)
    proposal = made["proposal"]
    first = _stored(proposal)
    services.report_reopen(
        proposal=proposal, actor=officer, reason="The summary overstated the agreement."
    )
    with pytest.raises(OutcomeRefused, match="already reopened"):
        services.report_reopen(proposal=proposal, actor=officer, reason="Twice over, again.")
    services.outcome_update(
        proposal=proposal,
        actor=officer,
        summary="Views were divided.",
        why="A substantial change.",
        next_steps="We will review it.",
    )
    services.report_issue(proposal=proposal, actor=officer, issued_to="ICB board members")
    versions = selectors.reports_of(proposal)
    assert [v.version for v in versions] == [2, 1]
    newer, older = versions
    assert newer.supersedes == older and older.superseded_by == newer
    assert newer.reason == "The summary overstated the agreement."
    assert newer.text["summary"] == "Views were divided."
    assert newer.pdf_sha256 != older.pdf_sha256
    assert _stored(proposal) == first  # version 1 is untouched
    events = AuditEvent.objects.filter(action=Action.OUTCOME_REPORT_ISSUED).order_by("sequence")
    afters = [e.after or {} for e in events]
    assert [a["version"] for a in afters] == [1, 2]
    assert afters[-1]["supersedes"] == 1
    assert AuditEvent.objects.filter(action=Action.OUTCOME_REPORT_REOPENED).count() == 1


def test_the_board_cannot_decide_on_a_report_the_record_no_longer_matches(make_staff) -> None:
    """After issue the analysis is locked (a change needs the report reopened). Were the
    lock lifted behind the services: a theme renamed changes nothing reported (the report
    used the signed-off version); a new version signed off without it: the stored report
    is unchanged, and the decision is refused until it is reissued."""
    from heard.analysis.models import Codeframe

    made, _ = _issued(make_staff)
    proposal = made["proposal"]
    board = make_staff(Role.DECISION_MAKER)
    before = _stored(proposal)
    analyst = make_staff(Role.ANALYST)
    travel = made["themes"]["Travel to the new site"]
    with pytest.raises(analysis_services.AnalysisProblem, match="reopened with a reason"):
        analysis_services.theme_delete(theme=made["themes"]["Parking"], actor=analyst)
    Codeframe.objects.filter(pk=made["question"].codeframe.pk).update(locked_reason="")
    analysis_services.theme_update(
        theme=travel, actor=analyst, name="Buses to the new site", description="Buses."
    )
    assert not any("changed" in p or "no longer" in p for p in selectors.readiness(proposal))
    assert [t.name for t in selectors.themes_for(proposal).items] == [
        "Travel to the new site",
        "Parking",
    ]
    analysis_services.theme_delete(theme=made["themes"]["Parking"], actor=analyst)
    sign_off_codeframe(made["question"].codeframe, reason="Parking merged away after review")
    with pytest.raises(OutcomeRefused, match="no longer in the analysis"):
        lifecycle_services.decision_record(
            proposal=proposal,
            actor=board,
            decided_on=timezone.localdate(),
            decided_by="Board",
            decision="Go ahead.",
            board_paper_url="https://example.nhs.uk/paper.pdf",
        )
    assert _stored(proposal) == before
    assert any("no longer in the analysis" in p for p in selectors.readiness(proposal))


def test_the_staff_pages_serve_the_stored_report(client, make_staff) -> None:
    made, officer = _issued(make_staff)
    proposal = made["proposal"]
    issued = ReportPublication.objects.get(outcome__proposal=proposal)
    client.force_login(make_staff(Role.SCRUTINY_READER))
    response = client.get(reverse("outcomes:report_pdf", args=[proposal.pk]))
    assert response.content == bytes(issued.pdf)
    page = client.get(reverse("outcomes:report", args=[proposal.pk])).content.decode()
    assert issued.pdf_sha256 in page and "as issued" in page
    # Reopened: the staff page is a draft; version 1 stays retrievable, byte for byte.
    services.report_reopen(proposal=proposal, actor=officer, reason="A late response was found.")
    page = client.get(reverse("outcomes:report", args=[proposal.pk])).content.decode()
    assert "draft" in page
    old = client.get(reverse("outcomes:report_version_pdf", args=[proposal.pk, 1]))
    assert old.content == bytes(issued.pdf)


# One publication step -------------------------------------------------------------------------


PERSONAL = "Call me on 07700 900123 or write to jo.bloggs@example.com"


def test_issue_publishes_nothing_until_a_second_person_approves(client, make_staff) -> None:
    made, officer = _issued(make_staff)
    proposal = made["proposal"]
    public = reverse("outcomes_public:detail", args=[proposal.slug])
    assert client.get(public).status_code == 404
    assert proposal.title not in client.get(reverse("outcomes_public:index")).content.decode()
    pending = selectors.pending_publications().get()
    with pytest.raises(OutcomeRefused, match="second person"):
        services.publication_approve(publication=pending, actor=officer)
    for role in (Role.ANALYST, Role.PROGRAMME_LEAD, Role.DECISION_MAKER, Role.SCRUTINY_READER):
        with pytest.raises(OutcomeRefused, match="permission"):
            services.publication_approve(publication=pending, actor=make_staff(role))
    approver = make_staff(Role.ENGAGEMENT_OFFICER)
    services.publication_approve(publication=pending, actor=approver)
    page = client.get(public).content.decode()
    assert "Most people were worried about travel." in page
    assert proposal.title in client.get(reverse("outcomes_public:index")).content.decode()
    with pytest.raises(OutcomeRefused, match="waiting for approval"):
        services.publication_approve(publication=pending, actor=approver)
    approved = AuditEvent.objects.get(action=Action.PUBLICATION_APPROVED).after or {}
    pending.refresh_from_db()
    assert approved["html_sha256"] == pending.html_sha256
    assert approved["html_sha256"] == hashlib.sha256(pending.html.encode()).hexdigest()
    pending.html = "<p>Rewritten after approval</p>"
    with pytest.raises(ValueError, match="never changes"):
        pending.save()


def test_the_public_page_serves_the_approved_text_not_the_live_records(client, make_staff) -> None:
    made, officer = _issued(make_staff)
    proposal = made["proposal"]
    services.publication_approve(
        publication=selectors.pending_publications().get(), actor=make_staff(Role.ADMINISTRATOR)
    )
    public = reverse("outcomes_public:detail", args=[proposal.slug])
    first = client.get(public).content.decode()
    # Reopen, change and reissue: the public page keeps the approved version until the
    # new one is approved; then both stay retrievable, the newer marked as superseding.
    services.report_reopen(proposal=proposal, actor=officer, reason="The summary was wrong.")
    services.outcome_update(
        proposal=proposal, actor=officer, summary="Views were divided.", why="", next_steps=""
    )
    services.report_issue(proposal=proposal, actor=officer, issued_to="ICB board members")
    assert "Most people were worried about travel." in client.get(public).content.decode()
    assert "Views were divided." not in client.get(public).content.decode()
    services.publication_approve(
        publication=selectors.pending_publications().get(), actor=make_staff(Role.ADMINISTRATOR)
    )
    now = client.get(public).content.decode()
    assert "Views were divided." in now and "The summary was wrong." in now
    versions = selectors.approved_outcomes(proposal)
    assert len(versions) == 2 and versions[0].supersedes == versions[1]
    old = client.get(reverse("outcomes_public:version", args=[proposal.slug, versions[1].pk]))
    assert "Most people were worried about travel." in old.content.decode()
    assert "superseded" in old.content.decode()
    assert first != now


def test_the_approver_sees_the_redactions_and_only_the_redacted_text_goes_public(
    client, make_staff
) -> None:
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    respond_to_all(proposal, made["themes"], officer)
    services.outcome_update(
        proposal=proposal, actor=officer, summary=PERSONAL, why="", next_steps=""
    )
    services.report_issue(proposal=proposal, actor=officer, issued_to="Board")
    pending = selectors.pending_publications().get()
    assert {f["type"] for f in pending.findings} >= {"PHONE", "EMAIL"}
    approver = make_staff(Role.ADMINISTRATOR)
    client.force_login(approver)
    page = client.get(reverse("outcomes:publication", args=[pending.pk])).content.decode()
    assert "<mark" in page and "07700 900123" in page and "[PHONE]" in page
    response = client.post(reverse("outcomes:publication", args=[pending.pk]), {"do": "approve"})
    assert response.status_code == 302
    public = client.get(reverse("outcomes_public:detail", args=[proposal.slug])).content.decode()
    assert "07700 900123" not in public and "jo.bloggs@example.com" not in public
    assert "[PHONE]" in public and "[EMAIL]" in public
    # The audit trail holds hashes, not the text.
    for event in AuditEvent.objects.filter(action__startswith="publication."):
        assert "07700" not in str(event.after)


def test_a_rejection_needs_a_reason_and_publishes_nothing(make_staff) -> None:
    made, officer = _issued(make_staff)
    pending = selectors.pending_publications().get()
    approver = make_staff(Role.ADMINISTRATOR)
    for reason in ("x", "n/a", "-"):
        with pytest.raises(OutcomeRefused, match="Give the reason"):
            services.publication_reject(publication=pending, actor=approver, reason=reason)
    services.publication_reject(
        publication=pending, actor=approver, reason="A quote names a member of staff."
    )
    assert not selectors.is_published(made["proposal"])
    assert AuditEvent.objects.filter(action=Action.PUBLICATION_REJECTED).count() == 1
    again = services.outcome_publication_submit(proposal=made["proposal"], actor=officer)
    with pytest.raises(OutcomeRefused, match="already waiting"):
        services.outcome_publication_submit(proposal=made["proposal"], actor=officer)
    services.publication_approve(publication=again, actor=approver)
    assert selectors.is_published(made["proposal"])


def _closed_activity(feedback: str = ""):
    from heard.engagement.tests.factories import ActivityFactory

    return ActivityFactory(
        title="Survey on the Wymford clinic",
        slug="survey-wymford-clinic",
        status="closed",
        level="consult",
        kind="survey",
        feedback=feedback,
    )


def test_activity_feedback_goes_public_only_through_the_same_approval(client, make_staff) -> None:
    from heard.engagement import services as engagement_services
    from heard.engagement.services import TransitionRefused

    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    approver = make_staff(Role.ADMINISTRATOR)
    activity = _closed_activity()
    for text in ("", "x", "n/a"):
        engagement_services.activity_feedback_save(actor=officer, activity=activity, feedback=text)
        with pytest.raises(OutcomeRefused, match="Write the feedback"):
            services.feedback_publication_submit(activity=activity, actor=officer)
    engagement_services.activity_feedback_save(
        actor=officer,
        activity=activity,
        feedback=f"You said the clinic was hard to reach. {PERSONAL}. We added a bus.",
    )
    # Publishing it directly, without approval, is refused whoever asks.
    with pytest.raises(TransitionRefused, match="send it for approval"):
        engagement_services.activity_transition(
            activity=activity, target="feedback_published", actor=approver
        )
    page = reverse("engagement_public:activity", args=[activity.slug])
    assert "You said the clinic" not in client.get(page).content.decode()
    item = services.feedback_publication_submit(activity=activity, actor=officer)
    with pytest.raises(OutcomeRefused, match="already waiting"):
        services.feedback_publication_submit(activity=activity, actor=officer)
    assert {f["type"] for f in item.findings} >= {"PHONE", "EMAIL"}
    assert "You said the clinic" not in client.get(page).content.decode()
    services.publication_approve(publication=item, actor=approver)
    activity.refresh_from_db()
    assert activity.status == "feedback_published"
    shown = client.get(page).content.decode()
    assert "You said the clinic was hard to reach." in shown and "07700 900123" not in shown
    # Changing the text afterwards changes nothing public until it is approved again.
    engagement_services.activity_feedback_save(
        actor=officer, activity=activity, feedback="Something else entirely, unapproved."
    )
    assert "unapproved" not in client.get(page).content.decode()
    index = client.get(reverse("outcomes_public:index")).content.decode()
    assert activity.title in index
    detail = client.get(reverse("outcomes_public:activity", args=[activity.slug]))
    assert "You said the clinic was hard to reach." in detail.content.decode()


def test_stale_feedback_cannot_be_approved(make_staff) -> None:
    from heard.engagement import services as engagement_services

    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    activity = _closed_activity("We heard you and added an evening clinic.")
    item = services.feedback_publication_submit(activity=activity, actor=officer)
    engagement_services.activity_feedback_save(
        actor=officer, activity=activity, feedback="A different text written later."
    )
    with pytest.raises(OutcomeRefused, match="has changed since"):
        services.publication_approve(publication=item, actor=make_staff(Role.ADMINISTRATOR))
    assert Publication.objects.get(pk=item.pk).status == "pending"


def test_feedback_of_an_open_activity_cannot_be_sent(make_staff) -> None:
    from heard.engagement.tests.factories import ActivityFactory

    activity = ActivityFactory(status="open", feedback="Too early to say what we did.")
    with pytest.raises(OutcomeRefused, match="close it first"):
        services.feedback_publication_submit(
            activity=activity, actor=make_staff(Role.ENGAGEMENT_OFFICER)
        )
    with pytest.raises(OutcomeRefused, match="permission"):
        services.feedback_publication_submit(activity=activity, actor=make_staff(Role.ANALYST))


def test_the_approver_page_refuses_a_placeholder_rejection_and_records_a_real_one(
    client, make_staff
) -> None:
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    activity = _closed_activity("We heard you and added an evening clinic.")
    item = services.feedback_publication_submit(activity=activity, actor=officer)
    client.force_login(make_staff(Role.ADMINISTRATOR))
    url = reverse("outcomes:publication", args=[item.pk])
    page = client.post(url, {"do": "reject", "reason": "n/a"}).content.decode()
    assert "not a placeholder" in page
    assert Publication.objects.get(pk=item.pk).status == "pending"
    client.post(url, {"do": "reject", "reason": "It names the clinic's receptionist."})
    item.refresh_from_db()
    assert item.status == "rejected" and item.reason == "It names the clinic's receptionist."
    # The submitter cannot approve their own, through the page either.
    client.force_login(officer)
    again = services.feedback_publication_submit(activity=activity, actor=make_staff())
    page = client.get(reverse("outcomes:publication", args=[again.pk])).content.decode()
    assert "Approve and publish" in page  # a different sender: this officer may approve
    mine = client.post(reverse("outcomes:publication", args=[again.pk]), {"do": "approve"})
    assert mine.status_code == 302
    assert Publication.objects.get(pk=again.pk).status == "approved"


def test_checked_marks_each_redaction_and_shows_the_published_text() -> None:
    from heard.servicechange.outcomes import publishing

    content = {"summary": "Ring 07700 900123 today.", "themes": [{"name": "Parking", "quotes": []}]}
    redacted, findings = publishing.redact_content(content)
    assert redacted["summary"] == "Ring [PHONE] today."
    [piece, theme] = publishing.checked(content, [f.as_dict() for f in findings])
    assert piece.changed and piece.published == "Ring [PHONE] today."
    assert [(s.text, s.type) for s in piece.segments] == [
        ("Ring ", ""),
        ("07700 900123", "PHONE"),
        (" today.", ""),
    ]
    assert not theme.changed and theme.label == "Theme “Parking”: theme name"


def test_pages_serve_what_was_stored_even_if_the_rows_are_changed_behind_the_services(
    client, make_staff
) -> None:
    """Rows rewritten directly in the database (no service, no audit): the public page,
    the staff page and the PDF still show exactly what was issued and approved."""
    from heard.servicechange.outcomes.models import Outcome, ThemeResponse

    made, _ = _issued(make_staff)
    proposal = made["proposal"]
    services.publication_approve(
        publication=selectors.pending_publications().get(), actor=make_staff(Role.ADMINISTRATOR)
    )
    issued = ReportPublication.objects.get(outcome__proposal=proposal)
    Outcome.objects.filter(proposal=proposal).update(summary="Most people agreed")
    ThemeResponse.objects.filter(outcome__proposal=proposal).update(response="Rewritten.")
    public = client.get(reverse("outcomes_public:detail", args=[proposal.slug])).content.decode()
    assert "Most people were worried about travel." in public
    assert "Most people agreed" not in public and "Rewritten." not in public
    client.force_login(make_staff(Role.DECISION_MAKER))
    staff = client.get(reverse("outcomes:report", args=[proposal.pk])).content.decode()
    assert "Most people agreed" not in staff and "Most people were worried" in staff
    pdf = client.get(reverse("outcomes:report_pdf", args=[proposal.pk])).content
    assert hashlib.sha256(pdf).hexdigest() == issued.pdf_sha256
    # ... and the decision is refused: the record no longer matches what was issued.
    assert any("the summary was changed" in p for p in selectors.readiness(proposal))
