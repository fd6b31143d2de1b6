"""Reg. 23 of SI 2013/218 as a workflow, through the services (issue 13 item 3).

What was found before: a consultation opened with no council; the committee's comments
date set before the consultation existed; the committee's first email said its dates
"changed"; its response recorded nowhere. Each is refused or put right here, by the
hurried officer's input and the hostile caller's (the service called directly, the
same act twice, the wrong role).
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement.services import TransitionRefused
from heard.servicechange.assessment.tests.helpers import PDF
from heard.servicechange.consultations import gunning, selectors, services
from heard.servicechange.consultations.models import OscNotice, ScrutinyLetter, ScrutinyResponse
from heard.servicechange.consultations.tests.helpers import (
    fill_document,
    make_consultation,
    passing_consultation,
    set_period,
    sign_off,
    write_to_scrutiny,
)
from heard.servicechange.lifecycle import selectors as lifecycle_selectors

pytestmark = pytest.mark.django_db

CONTACT = "Sam Patel, engagement team, engagement@icb.example"


def _refusals(act: str) -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(action=Action.ACT_REFUSED).order_by("pk")
        if (e.after or {}).get("act") == act
    ]


def _ready(officer, *, council: bool = True):
    """Document published, period set (opens now, 13 weeks), a council recorded."""
    consultation = make_consultation(actor=officer)
    fill_document(consultation, officer)
    set_period(consultation, actor=officer)
    if council:
        services.council_add(
            actor=officer,
            consultation=consultation,
            name="Norfolk County Council",
            committee="Health Overview and Scrutiny Committee",
            contact_email="hosc@norfolk.example",
        )
    consultation.refresh_from_db()
    return consultation


def _closes_on(consultation):
    return timezone.localtime(consultation.activity.closes_at).date()


def _send(officer, consultation, **changes):
    closes = _closes_on(consultation)
    values = {
        "comments_due_on": closes + timedelta(weeks=2),
        "proposed_decision_on": closes + timedelta(weeks=4),
        "contact": CONTACT,
        "base_url": "https://heard.example",
    }
    values.update(changes)
    return services.scrutiny_letter_send(actor=officer, consultation=consultation, **values)


# --- 1. opening needs a council and the first letter -----------------------------------------


def test_a_consultation_with_no_council_cannot_open_and_the_refusal_is_audited(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = passing_consultation(actor=officer, scrutiny=False)
    with pytest.raises(TransitionRefused) as refused:
        services.consultation_open(actor=officer, consultation=consultation)
    assert "No council is recorded" in str(refused.value)
    [event] = _refusals("consultation.open")
    assert "Overview and scrutiny" in event.after["reason"]
    consultation.refresh_from_db()
    assert consultation.activity.status == "draft"


def test_a_council_without_the_first_letter_cannot_open(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = _ready(officer)
    with pytest.raises(TransitionRefused, match="first letter"):
        services.consultation_open(actor=officer, consultation=consultation)
    write_to_scrutiny(consultation, officer)
    sign_off(consultation)  # the Consultation Institute's checkpoints, by someone else
    opened = services.consultation_open(actor=officer, consultation=consultation)
    assert opened.activity.status == "open"


def test_a_council_added_after_the_first_letter_is_sent_it_before_opening(
    make_staff, django_capture_on_commit_callbacks
):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = _ready(officer)
    first = _send(officer, consultation)
    services.council_add(
        actor=officer,
        consultation=consultation,
        name="Suffolk County Council",
        committee="Health Scrutiny Committee",
        contact_email="scrutiny@suffolk.example",
    )
    services.osc_save(
        actor=officer,
        consultation=consultation,
        comments_due_on=first.comments_due_on,
        proposed_decision_on=first.proposed_decision_on,
        joint_committee_name="Norfolk and Suffolk Joint Health Scrutiny Committee",
    )
    consultation.refresh_from_db()
    check = {c.key: c for c in selectors.gunning_panel(consultation)}["scrutiny"]
    assert check.blocks and "Suffolk County Council" in " ".join(check.reasons)
    # Other dates than those already sent are refused: a change is a re-notification.
    with pytest.raises(services.ConsultationProblem, match="with those dates"):
        _send(officer, consultation, proposed_decision_on=first.proposed_decision_on + timedelta(1))
    with django_capture_on_commit_callbacks(execute=True):
        second = _send(
            officer,
            consultation,
            comments_due_on=first.comments_due_on,
            proposed_decision_on=first.proposed_decision_on,
        )
    assert second.recipients == ["scrutiny@suffolk.example"]
    assert mail.outbox[-1].to == ["scrutiny@suffolk.example"]
    assert not {c.key: c for c in selectors.gunning_panel(consultation)}["scrutiny"].blocks
    with pytest.raises(services.ConsultationProblem, match="not sent twice"):
        _send(
            officer,
            consultation,
            comments_due_on=first.comments_due_on,
            proposed_decision_on=first.proposed_decision_on,
        )


# --- 2. the first letter ---------------------------------------------------------------------


def test_the_first_letter_is_sent_to_every_council_kept_as_sent_and_never_says_changed(
    make_staff, django_capture_on_commit_callbacks
):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = _ready(officer)
    services.council_add(
        actor=officer,
        consultation=consultation,
        name="Suffolk County Council",
        committee="Health Scrutiny Committee",
        contact_email="scrutiny@suffolk.example",
    )
    with pytest.raises(services.ConsultationProblem, match="joint committee"):
        _send(officer, consultation)
    services.osc_save(
        actor=officer,
        consultation=consultation,
        comments_due_on=None,
        proposed_decision_on=None,
        joint_committee_name="Norfolk and Suffolk Joint Health Scrutiny Committee",
    )
    assert len(mail.outbox) == 0  # nothing is sent before the first letter
    with django_capture_on_commit_callbacks(execute=True):
        letter = _send(officer, consultation)
    assert letter.kind == ScrutinyLetter.Kind.FIRST
    assert letter.sent_by == officer
    assert sorted(letter.recipients) == ["hosc@norfolk.example", "scrutiny@suffolk.example"]
    [sent] = mail.outbox
    assert sorted(sent.to) == sorted(letter.recipients)
    assert sent.body == letter.body and sent.subject == letter.subject
    assert "chang" not in letter.body.lower() or "any change" in letter.body.lower()
    assert " changed" not in letter.body.lower()
    assert gunning.format_date(letter.comments_due_on) in letter.body
    assert gunning.format_date(letter.proposed_decision_on) in letter.body
    assert CONTACT in letter.body
    assert "https://heard.example/consultations/" in letter.body
    assert "Joint Health Scrutiny Committee" in letter.addressed_to
    # The consultation document as published goes with it.
    [(name, content, kind)] = sent.attachments
    assert name.endswith("-v1.pdf") and kind == "application/pdf" and content[:5] == b"%PDF-"
    # Published as what the committee was told.
    consultation.refresh_from_db()
    told = selectors.scrutiny_state(consultation)
    assert told.comments_due_on == letter.comments_due_on
    assert told.first_letter_on == timezone.localdate()
    event = AuditEvent.objects.filter(action=Action.CONSULTATION_OSC_LETTER_SENT).get()
    assert event.after["body_sha256"] == letter.body_sha256
    assert event.after["kind"] == "first"


def test_the_first_letter_is_not_sent_twice_and_the_refusal_is_audited(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = _ready(officer)
    _send(officer, consultation)
    with pytest.raises(services.ConsultationProblem, match="not sent twice"):
        _send(officer, consultation)
    assert ScrutinyLetter.objects.filter(consultation=consultation).count() == 1
    assert len(_refusals("consultation.osc_first_letter")) == 1


def test_the_first_letter_needs_a_council_with_its_committee(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = _ready(officer, council=False)
    with pytest.raises(services.ConsultationProblem, match="Record the council"):
        _send(officer, consultation)
    services.council_add(
        actor=officer,
        consultation=consultation,
        name="Norfolk County Council",
        committee="x",
        contact_email="hosc@norfolk.example",
    )
    with pytest.raises(services.ConsultationProblem, match="Name the overview and scrutiny"):
        _send(officer, consultation)
    assert len(_refusals("consultation.osc_first_letter")) == 2
    assert not ScrutinyLetter.objects.exists()


def test_the_first_letter_needs_the_document_and_the_period(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = make_consultation(actor=officer)
    services.council_add(
        actor=officer,
        consultation=consultation,
        name="Norfolk County Council",
        committee="Health Overview and Scrutiny Committee",
        contact_email="hosc@norfolk.example",
    )
    today = timezone.localdate()
    with pytest.raises(services.ConsultationProblem) as refused:
        services.scrutiny_letter_send(
            actor=officer,
            consultation=consultation,
            comments_due_on=today + timedelta(weeks=15),
            proposed_decision_on=today + timedelta(weeks=18),
            contact=CONTACT,
            base_url="https://heard.example",
        )
    assert "Publish the consultation document first" in str(refused.value)
    assert "opening and closing dates" in str(refused.value)


@pytest.mark.parametrize(
    ("comments", "decision", "expected"),
    [
        # the comments date set before the consultation existed (the finding)
        (-30, 60, "must be after today"),
        (0, 60, "must be after today"),
        # today is day 0, the consultation opens in 7 days and closes 13 weeks later
        (3, 120, "before the consultation opens"),
        (100, 100, "after the committee's comments are due"),
        (100, 90, "after the committee's comments are due"),
        (30, 60, "after the consultation closes"),
    ],
)
def test_the_first_letters_dates_must_be_possible(make_staff, comments, decision, expected):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = make_consultation(actor=officer)
    fill_document(consultation, officer)
    set_period(consultation, actor=officer, starts_in=timedelta(days=7))
    services.council_add(
        actor=officer,
        consultation=consultation,
        name="Norfolk County Council",
        committee="Health Overview and Scrutiny Committee",
        contact_email="hosc@norfolk.example",
    )
    today = timezone.localdate()
    with pytest.raises(services.ConsultationProblem, match=expected):
        _send(
            officer,
            consultation,
            comments_due_on=today + timedelta(days=comments),
            proposed_decision_on=today + timedelta(days=decision),
        )
    assert not ScrutinyLetter.objects.exists()


@pytest.mark.parametrize("contact", ["", "x", "n/a", "tbc", "  -  "])
def test_the_first_letter_needs_a_real_contact(make_staff, contact):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = _ready(officer)
    with pytest.raises(services.ConsultationProblem, match="contact at the ICB"):
        _send(officer, consultation, contact=contact)


@pytest.mark.parametrize("role", [Role.SCRUTINY_READER, Role.DECISION_MAKER, Role.ANALYST])
def test_only_those_who_run_the_consultation_write_to_the_committee(make_staff, role):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = _ready(officer)
    reader = make_staff(role)
    with pytest.raises(PermissionDenied):
        _send(reader, consultation)
    letter = _send(make_staff(Role.PROGRAMME_LEAD), consultation)
    with pytest.raises(PermissionDenied):
        services.osc_save(
            actor=reader,
            consultation=consultation,
            comments_due_on=letter.comments_due_on,
            proposed_decision_on=letter.proposed_decision_on + timedelta(days=7),
            joint_committee_name="",
            reason="The board meeting moved a week later.",
        )
    with pytest.raises(PermissionDenied):
        services.scrutiny_response_record(
            actor=reader,
            consultation=consultation,
            received_on=timezone.localdate(),
            position="agrees",
            summary="The committee supports the move with a shuttle bus.",
        )
    assert ScrutinyLetter.objects.count() == 1 and not ScrutinyResponse.objects.exists()
    assert _refusals("consultation.osc_first_letter")


# --- 3. a change of dates is a re-notification -------------------------------------------------


def test_a_change_of_dates_is_sent_as_a_re_notification_from_what_to_what(
    make_staff, django_capture_on_commit_callbacks
):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = _ready(officer)
    with django_capture_on_commit_callbacks(execute=True):
        first = _send(officer, consultation)
    later = first.proposed_decision_on + timedelta(weeks=3)
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.osc_save(
            actor=officer,
            consultation=consultation,
            comments_due_on=first.comments_due_on,
            proposed_decision_on=later,
            joint_committee_name="",
            reason="The board meeting in public moved to the following month.",
        )
    assert notice is not None and notice.letter is not None
    letter = notice.letter
    assert letter.kind == ScrutinyLetter.Kind.RENOTIFICATION
    assert list(letter.changes) == ["proposed_decision_on"]
    words = (
        f"The proposed decision date changed from "
        f"{gunning.format_date(first.proposed_decision_on)} to {gunning.format_date(later)}"
    )
    assert words in letter.body and words in notice.summary
    assert "board meeting in public moved" in letter.body
    assert mail.outbox[-1].body == letter.body
    told = selectors.scrutiny_state(consultation)
    assert told.proposed_decision_on == later and told.renotifications == [letter]
    # The same dates again: nothing to tell.
    again = services.osc_save(
        actor=officer,
        consultation=consultation,
        comments_due_on=first.comments_due_on,
        proposed_decision_on=later,
        joint_committee_name="",
    )
    assert again is None
    assert ScrutinyLetter.objects.filter(consultation=consultation).count() == 2


@pytest.mark.parametrize(
    ("comments", "decision", "reason", "expected"),
    [
        (0, 0, "x", "Give the reason"),
        (0, 0, "", "Give the reason"),
        ("past", 0, "The committee asked for an earlier date.", "must be after today"),
        (0, "same-as-comments", "The board meets earlier than planned.", "after the committee"),
    ],
)
def test_a_re_notification_needs_a_reason_and_possible_dates(
    make_staff, comments, decision, reason, expected
):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = _ready(officer)
    first = _send(officer, consultation)
    today = timezone.localdate()
    new_comments = (
        today - timedelta(days=1)
        if comments == "past"
        else first.comments_due_on + timedelta(days=comments or 0)
    )
    if decision == "same-as-comments":
        new_decision = new_comments
    else:
        new_decision = first.proposed_decision_on + timedelta(days=7)
    with pytest.raises(services.ConsultationProblem, match=expected):
        services.osc_save(
            actor=officer,
            consultation=consultation,
            comments_due_on=new_comments,
            proposed_decision_on=new_decision,
            joint_committee_name="",
            reason=reason,
        )
    assert not OscNotice.objects.exists()
    assert _refusals("consultation.osc_dates")


# --- 4. the committee's response ----------------------------------------------------------------


def _respond(officer, consultation, **changes):
    values = {
        "received_on": timezone.localdate(),
        "position": "objects",
        "summary": "The committee objects: the shuttle bus must run before the unit moves.",
        "file": None,
    }
    values.update(changes)
    return services.scrutiny_response_record(actor=officer, consultation=consultation, **values)


def test_the_committees_response_is_recorded_and_shown_on_the_timeline(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = _ready(officer)
    _send(officer, consultation)
    response = _respond(
        officer,
        consultation,
        summary="",
        position="refers",
        file=ContentFile(PDF, name="hosc-response.pdf"),
    )
    assert response.recorded_by == officer and response.file_sha256
    assert selectors.scrutiny_state(consultation).responses == [response]

    titles = [e.title for e in lifecycle_selectors.timeline(consultation.proposal)]
    assert "Overview and scrutiny committee's response received" in titles
    assert "First letter to overview and scrutiny (reg. 23)" in titles
    assert AuditEvent.objects.filter(action=Action.CONSULTATION_OSC_RESPONSE_RECORDED).count() == 1
    with pytest.raises(services.ConsultationProblem, match="already recorded"):
        _respond(
            officer,
            consultation,
            summary="",
            position="refers",
            file=ContentFile(PDF, name="hosc-response.pdf"),
        )


def test_a_response_before_any_letter_is_refused(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = _ready(officer)
    with pytest.raises(ValidationError, match="No first letter"):
        _respond(officer, consultation)
    assert _refusals("consultation.osc_response")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"received_on": "tomorrow"}, "received_on"),
        ({"received_on": "before-letter"}, "received_on"),
        ({"received_on": None}, "received_on"),
        ({"position": "maybe"}, "position"),
        ({"summary": "ok"}, "summary"),
        ({"summary": "x"}, "summary"),
        ({"summary": ""}, "summary"),
        ({"summary": "", "file": "empty"}, "file"),
        ({"summary": "", "file": "fake-pdf"}, "file"),
    ],
)
def test_a_response_needs_a_possible_date_a_position_and_substance(make_staff, changes, field):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = _ready(officer)
    _send(officer, consultation)
    today = timezone.localdate()
    dates = {"tomorrow": today + timedelta(days=1), "before-letter": today - timedelta(days=1)}
    files = {
        "empty": ContentFile(b"", name="response.pdf"),
        "fake-pdf": ContentFile(b"%PDF-1.4 not really", name="response.pdf"),
    }
    values = dict(changes)
    if isinstance(values.get("received_on"), str):
        values["received_on"] = dates[values["received_on"]]
    if isinstance(values.get("file"), str):
        values["file"] = files[values["file"]]
    with pytest.raises(ValidationError) as refused:
        _respond(officer, consultation, **values)
    assert field in refused.value.message_dict
    assert not ScrutinyResponse.objects.exists()
    assert _refusals("consultation.osc_response")


def test_a_moved_decision_date_must_be_after_today_even_when_the_comments_date_has_passed():
    from heard.servicechange.consultations import scrutiny

    today = timezone.localdate()
    problems = scrutiny.dates_problems(
        comments_due_on=today - timedelta(days=30),
        proposed_decision_on=today,
        today=today,
        opens_on=today - timedelta(weeks=20),
        closes_on=today - timedelta(weeks=8),
        changed=["proposed_decision_on"],
    )
    assert problems == [
        f"The proposed decision date ({gunning.format_date(today)}) must be after today."
    ]
    # The comments date already past is not held against a change of the decision date.
    assert not scrutiny.dates_problems(
        comments_due_on=today - timedelta(days=30),
        proposed_decision_on=today + timedelta(days=1),
        today=today,
        opens_on=today - timedelta(weeks=20),
        closes_on=today - timedelta(weeks=8),
        changed=["proposed_decision_on"],
    )
