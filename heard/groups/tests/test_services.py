"""Standing groups' services, tried as a hostile caller would."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from heard.audit.models import AuditEvent
from heard.core.roles import Role
from heard.groups import services
from heard.groups.models import Attendance, Minutes
from heard.groups.services import GroupProblem
from heard.groups.tests.helpers import TOR, add_person, held_meeting, make_group, world
from heard.insight.models import Insight

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 200


@pytest.fixture
def officer(make_staff):
    return make_staff(Role.ENGAGEMENT_OFFICER)


def _actions(action):
    return AuditEvent.objects.filter(action=action).count()


def test_set_up_needs_permission_and_refuses_twice(officer, make_staff):
    from heard.people.models import Group

    group = Group.objects.create(name="Carers Forum", kind=Group.Kind.FORUM)
    with pytest.raises(PermissionDenied):
        services.standing_group_set_up(actor=make_staff(Role.ANALYST), group=group)
    sg = services.standing_group_set_up(actor=officer, group=group)
    assert sg.slug == "carers-forum"
    with pytest.raises(GroupProblem, match="already set up"):
        services.standing_group_set_up(actor=officer, group=group)
    with pytest.raises(GroupProblem, match="What the group is"):
        services.standing_group_update(
            actor=officer, sg=sg, public=True, public_summary="x", meets=""
        )
    assert _actions("group.set_up") == 1


def test_terms_of_reference_versions_and_refusals(officer):
    sg = make_group()
    today = timezone.localdate()
    with pytest.raises(GroupProblem, match="real"):
        services.terms_of_reference_record(
            actor=officer, sg=sg, text="n/a", agreed_on=today, review_on=today + timedelta(365)
        )
    with pytest.raises(GroupProblem, match="review date"):
        services.terms_of_reference_record(
            actor=officer, sg=sg, text=TOR, agreed_on=today, review_on=today
        )
    with pytest.raises(GroupProblem, match="future"):
        services.terms_of_reference_record(
            actor=officer,
            sg=sg,
            text=TOR,
            agreed_on=today + timedelta(1),
            review_on=today + timedelta(400),
        )
    first = services.terms_of_reference_record(
        actor=officer,
        sg=sg,
        text=TOR,
        agreed_on=today - timedelta(30),
        review_on=today + timedelta(335),
    )
    with pytest.raises(GroupProblem, match="already recorded"):
        services.terms_of_reference_record(
            actor=officer,
            sg=sg,
            text=TOR,
            agreed_on=today - timedelta(30),
            review_on=today + timedelta(335),
        )
    second = services.terms_of_reference_record(
        actor=officer,
        sg=sg,
        text=TOR + " It reports to the board.",
        agreed_on=today,
        review_on=today + timedelta(365),
    )
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.text == TOR  # the earlier version is kept as it was


def test_membership_terms(officer, make_staff):
    sg = make_group()
    today = timezone.localdate()
    chair = add_person(sg, "Ada Chair", role="chair")
    with pytest.raises(GroupProblem, match="already has a term"):
        services.membership_term_add(
            actor=officer, sg=sg, role="member", member=chair.member, starts_on=today
        )
    from heard.people.models import Member

    outsider = Member.objects.create(full_name="Not In Group", status="active")
    with pytest.raises(GroupProblem, match="not in"):
        services.membership_term_add(
            actor=officer, sg=sg, role="member", member=outsider, starts_on=today
        )
    with pytest.raises(GroupProblem, match="staff account"):
        services.membership_term_add(
            actor=officer, sg=sg, role="staff_lead", user=None, starts_on=today
        )
    with pytest.raises(GroupProblem, match="end before"):
        services.membership_term_add(
            actor=officer,
            sg=sg,
            role="staff_lead",
            user=officer,
            starts_on=today,
            ends_on=today - timedelta(1),
        )
    with pytest.raises(GroupProblem, match="Only a chair"):
        services.membership_term_add(
            actor=officer,
            sg=sg,
            role="staff_lead",
            user=officer,
            starts_on=today,
            named_publicly=True,
        )
    lead = services.membership_term_add(
        actor=officer, sg=sg, role="staff_lead", user=officer, starts_on=today
    )
    assert lead.name == officer.full_name
    services.membership_term_end(actor=officer, term=chair, ends_on=today)
    with pytest.raises(GroupProblem, match="already ends"):
        services.membership_term_end(actor=officer, term=chair, ends_on=today)


def test_meetings_agenda_and_papers(officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sg = make_group()
    start = timezone.now() + timedelta(days=10)
    with pytest.raises(GroupProblem, match="place or a link"):
        services.meeting_save(actor=officer, sg=sg, title="Autumn meeting", starts_at=start)
    with pytest.raises(GroupProblem, match="end after"):
        services.meeting_save(
            actor=officer,
            sg=sg,
            title="Autumn meeting",
            starts_at=start,
            ends_at=start,
            place="Hall",
        )
    meeting = services.meeting_save(
        actor=officer,
        sg=sg,
        title="Autumn meeting",
        starts_at=start,
        link="https://meet.example.org/x",
    )
    services.agenda_item_add(actor=officer, meeting=meeting, title="Welcome and apologies")
    with pytest.raises(GroupProblem, match="already on the agenda"):
        services.agenda_item_add(actor=officer, meeting=meeting, title="welcome and apologies")
    with pytest.raises(GroupProblem, match="not a real PDF"):
        services.paper_upload(
            actor=officer,
            meeting=meeting,
            title="Agenda pack",
            upload=SimpleUploadedFile("pack.pdf", b"<html>hi</html>"),
        )
    with pytest.raises(GroupProblem, match="must be a PDF"):
        services.paper_upload(
            actor=officer,
            meeting=meeting,
            title="Agenda pack",
            upload=SimpleUploadedFile("pack.exe", b"MZ" + b"0" * 50),
        )
    with pytest.raises(GroupProblem, match="empty"):
        services.paper_upload(
            actor=officer,
            meeting=meeting,
            title="Agenda pack",
            upload=SimpleUploadedFile("pack.pdf", b""),
        )
    paper = services.paper_upload(
        actor=officer,
        meeting=meeting,
        title="Agenda pack",
        upload=SimpleUploadedFile("pack.pdf", PDF),
    )
    assert paper.file.name.startswith("group_papers/") and not paper.file.name.startswith(
        "activities/"
    )
    assert paper.size == len(PDF)
    with pytest.raises(GroupProblem, match="already one of"):
        services.paper_upload(
            actor=officer,
            meeting=meeting,
            title="Again",
            upload=SimpleUploadedFile("again.pdf", PDF),
        )
    with pytest.raises(GroupProblem, match="once the meeting has started"):
        services.minutes_draft_save(
            actor=officer, meeting=meeting, text="Minutes written before the meeting happened."
        )
    services.meeting_cancel(actor=officer, meeting=meeting)
    with pytest.raises(GroupProblem, match="already cancelled"):
        services.meeting_cancel(actor=officer, meeting=meeting)


def test_attendance(officer):
    sg = make_group()
    chair = add_person(sg, "Ada Chair", role="chair")
    member = add_person(sg, "Ben Member")
    later = add_person(sg, "Cy Later")
    later.starts_on = timezone.localdate()
    later.save()
    meeting = held_meeting(sg)
    services.attendance_record(
        actor=officer, meeting=meeting, statuses={chair.pk: "present", member.pk: "apologies"}
    )
    again = services.attendance_record(
        actor=officer, meeting=meeting, statuses={chair.pk: "present"}
    )
    assert again["changed"] == 0
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    with pytest.raises(GroupProblem, match="on the group that day"):
        services.attendance_record(actor=officer, meeting=meeting, statuses={later.pk: "present"})
    with pytest.raises(GroupProblem, match="Choose present"):
        services.attendance_record(actor=officer, meeting=meeting, statuses={chair.pk: "maybe"})
    future = services.meeting_save(
        actor=officer,
        sg=sg,
        title="Next one",
        starts_at=timezone.now() + timedelta(days=20),
        place="Hall",
    )
    services.attendance_record(actor=officer, meeting=future, statuses={member.pk: "apologies"})
    with pytest.raises(GroupProblem, match="only apologies"):
        services.attendance_record(actor=officer, meeting=future, statuses={chair.pk: "present"})


def test_minutes_approved_are_frozen_flow_into_insight_and_corrections_replace_them(
    officer, make_staff
):
    w = world()
    minutes, meeting, chair = w["minutes"], w["meeting"], w["chair"]
    services.minutes_draft_save(
        actor=officer, meeting=meeting, text="The group discussed the stroke pathway and discharge."
    )
    with pytest.raises(GroupProblem, match="real"):
        services.heard_item_add(actor=officer, minutes=minutes, text="n/a")
    services.heard_item_add(
        actor=officer, minutes=minutes, text="Discharge letters arrive weeks late at the GP."
    )
    with pytest.raises(GroupProblem, match="already recorded"):
        services.heard_item_add(
            actor=officer, minutes=minutes, text="Discharge letters arrive weeks late at the GP."
        )
    with pytest.raises(GroupProblem, match="before the meeting"):
        services.minutes_approve(
            actor=officer,
            minutes=minutes,
            approver=chair,
            approved_at=meeting.starts_at - timedelta(hours=1),
        )
    member = add_person(w["sg"], "Ben Member")
    with pytest.raises(GroupProblem, match="chair or staff lead"):
        services.minutes_approve(actor=officer, minutes=minutes, approver=member)
    other_lead = services.membership_term_add(
        actor=officer,
        sg=w["sg"],
        role="staff_lead",
        user=make_staff(Role.PROGRAMME_LEAD),
        starts_on=timezone.localdate() - timedelta(days=30),
    )
    with pytest.raises(GroupProblem, match="for themselves"):
        services.minutes_approve(actor=officer, minutes=minutes, approver=other_lead)
    with pytest.raises(PermissionDenied):
        services.minutes_approve(actor=make_staff(Role.ANALYST), minutes=minutes, approver=chair)
    approved = services.minutes_approve(actor=officer, minutes=minutes, approver=chair)
    assert approved.status == Minutes.Status.APPROVED and approved.approved_by == chair
    assert approved.approval_recorded_by == officer
    with pytest.raises(GroupProblem, match="no public page"):
        services.minutes_publish(actor=officer, minutes=minutes)
    insight = Insight.objects.get()
    assert insight.redacted_text == "Discharge letters arrive weeks late at the GP."
    assert insight.occurred_on == timezone.localdate(meeting.starts_at)
    assert insight.locality == "Norwich" and insight.service == w["sg"].group.name
    with pytest.raises(GroupProblem, match="already approved"):
        services.minutes_approve(actor=officer, minutes=minutes, approver=chair)
    with pytest.raises(GroupProblem, match="cannot change"):
        services.minutes_draft_save(
            actor=officer, meeting=meeting, text="Quietly rewritten minutes, after approval."
        )
    with pytest.raises(GroupProblem, match="cannot change"):
        services.heard_item_add(
            actor=officer, minutes=minutes, text="Something added after approval."
        )
    with pytest.raises(GroupProblem, match="reason"):
        services.minutes_correct(
            actor=officer,
            minutes=minutes,
            text="Corrected minutes with the right names.",
            reason="-",
        )
    correction = services.minutes_correct(
        actor=officer,
        minutes=minutes,
        text="Corrected: the group discussed the stroke pathway and discharge letters.",
        reason="The first version missed discharge letters.",
    )
    assert correction.version == 2 and correction.heard.count() == 1
    with pytest.raises(GroupProblem, match="latest approved"):
        services.minutes_correct(
            actor=officer,
            minutes=minutes,
            text="Another correction of version one.",
            reason="Trying to fork the minutes",
        )
    services.minutes_approve(actor=officer, minutes=correction, approver=chair)
    # The correction's insight took the first one's place: nothing counted twice.
    assert Insight.objects.count() == 1 and Insight.objects.get().pk != insight.pk
    minutes.refresh_from_db()
    assert minutes.text == "The group discussed the stroke pathway and discharge."
    assert _actions("group.minutes_approved") == 2


def test_publish_once_and_only_approved(officer):
    w = world()
    w["sg"].public = True
    w["sg"].save()
    with pytest.raises(GroupProblem, match="Only approved"):
        services.minutes_publish(actor=officer, minutes=w["minutes"])
    services.minutes_approve(actor=officer, minutes=w["minutes"], approver=w["chair"])
    services.minutes_publish(actor=officer, minutes=w["minutes"])
    with pytest.raises(GroupProblem, match="already published"):
        services.minutes_publish(actor=officer, minutes=w["minutes"])


def test_decisions_and_actions(officer):
    w = world()
    meeting, chair = w["meeting"], w["chair"]
    day = timezone.localdate(meeting.starts_at)
    with pytest.raises(GroupProblem, match="real"):
        services.decision_record(actor=officer, meeting=meeting, text="x")
    services.decision_record(actor=officer, meeting=meeting, text="The group supports option B.")
    with pytest.raises(GroupProblem, match="already recorded"):
        services.decision_record(
            actor=officer, meeting=meeting, text="The group supports option B."
        )
    with pytest.raises(GroupProblem, match="due before the meeting"):
        services.action_record(
            actor=officer,
            meeting=meeting,
            text="Send the survey to members",
            owner=chair,
            due_on=day - timedelta(1),
        )
    action = services.action_record(
        actor=officer,
        meeting=meeting,
        text="Send the survey to members",
        owner=chair,
        due_on=day + timedelta(3),
    )
    assert action.state.key == "overdue"  # due 4 days after a meeting held a week ago
    with pytest.raises(GroupProblem, match="future"):
        services.action_done(
            actor=officer, action=action, done_on=timezone.localdate() + timedelta(1)
        )
    with pytest.raises(GroupProblem, match="before the meeting"):
        services.action_done(actor=officer, action=action, done_on=day - timedelta(1))
    services.action_done(actor=officer, action=action)
    action.refresh_from_db()
    assert action.state.key == "done"
    with pytest.raises(GroupProblem, match="already done"):
        services.action_done(actor=officer, action=action)
    upcoming = services.meeting_save(
        actor=officer,
        sg=w["sg"],
        title="Next",
        starts_at=timezone.now() + timedelta(days=5),
        place="Hall",
    )
    with pytest.raises(GroupProblem, match="once the meeting has started"):
        services.decision_record(
            actor=officer, meeting=upcoming, text="Decided before it happened."
        )


def test_a_staff_lead_approves_for_themselves_and_a_programme_lead_may_record_approval(
    officer, make_staff
):
    w = world()
    lead_user = make_staff(Role.PROGRAMME_LEAD)
    lead = services.membership_term_add(
        actor=officer,
        sg=w["sg"],
        role="staff_lead",
        user=lead_user,
        starts_on=timezone.localdate() - timedelta(days=30),
    )
    with pytest.raises(PermissionDenied):  # approving is not running the group
        services.minutes_draft_save(
            actor=lead_user, meeting=w["meeting"], text="A programme lead rewriting the minutes."
        )
    services.minutes_approve(actor=lead_user, minutes=w["minutes"], approver=lead)
    w["minutes"].refresh_from_db()
    assert w["minutes"].approved_by == lead and w["minutes"].approval_recorded_by == lead_user


def test_a_persons_history_shows_their_terms_and_attendance(officer):
    from heard.people.history import history_for

    w = world()
    services.attendance_record(
        actor=officer, meeting=w["meeting"], statuses={w["chair"].pk: "apologies"}
    )
    texts = [item.text for item in history_for(w["chair"].member)]
    assert "Chair of Stroke Services Reference Group" in texts
    assert "Spring meeting: sent apologies" in texts
