"""Staff pages for running standing groups. Thin: forms check input, services write."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from heard.accounts.models import User
from heard.core.permissions import permission_required
from heard.groups import forms, selectors, services
from heard.groups.models import (
    ActionItem,
    Attendance,
    Meeting,
    MembershipTerm,
    Minutes,
    StandingGroup,
)
from heard.people.models import Member

VIEW = "groups.view_groups"
RUN = "groups.run_groups"
APPROVE = "groups.approve_minutes"


def _sg(pk: int) -> StandingGroup:
    return get_object_or_404(StandingGroup.objects.select_related("group"), pk=pk)


def _meeting(pk: int) -> Meeting:
    meeting = selectors.meeting_detail(pk)
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def _attempt(request: HttpRequest, form: Any, write: Callable[[], Any], success: str) -> bool:
    """Run ``write``; a refusal becomes a form error. True when it was saved."""
    try:
        write()
    except services.GroupProblem as problem:
        form.add_error(None, str(problem))
        return False
    messages.success(request, success)
    return True


@permission_required(VIEW)
def group_list(request: HttpRequest) -> HttpResponse:
    form = forms.SetUpForm(request.POST or None, groups=selectors.groups_not_yet_standing())
    if request.method == "POST":
        if not request.user.has_perm(RUN):
            raise PermissionDenied(RUN)
        if form.is_valid():
            holder: dict[str, StandingGroup] = {}

            def write() -> None:
                holder["sg"] = services.standing_group_set_up(
                    actor=request.user, group=form.cleaned_data["group"]
                )

            if _attempt(request, form, write, "The group is set up: add its terms of reference."):
                return redirect("groups:detail", pk=holder["sg"].pk)
    return render(
        request,
        "groups/staff/list.html",
        {"groups": selectors.standing_groups(), "form": form},
        status=400 if form.errors else 200,
    )


@permission_required(VIEW)
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sg = _sg(pk)
    now = timezone.now()
    meetings = list(selectors.meetings(sg))
    return render(
        request,
        "groups/staff/detail.html",
        {
            "sg": sg,
            "tor": selectors.current_terms_of_reference(sg),
            "tor_history": list(sg.terms_of_reference.all()[1:]),
            "terms": selectors.terms(sg),
            "upcoming": sorted(
                (m for m in meetings if m.starts_at >= now), key=lambda m: m.starts_at
            ),
            "past": [m for m in meetings if m.starts_at < now],
            "actions": selectors.open_actions(sg),
            "today": timezone.localdate(),
        },
    )


@permission_required(RUN)
def group_settings(request: HttpRequest, pk: int) -> HttpResponse:
    sg = _sg(pk)
    initial = {"public": sg.public, "public_summary": sg.public_summary, "meets": sg.meets}
    form = forms.SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            request,
            form,
            lambda: services.standing_group_update(
                actor=request.user,
                sg=sg,
                public=d["public"],
                public_summary=d["public_summary"],
                meets=d["meets"],
            ),
            "Changes saved.",
        ):
            return redirect("groups:detail", pk=sg.pk)
    return render(
        request,
        "groups/staff/form.html",
        {"sg": sg, "form": form, "title": "Public page and meetings", "button": "Save changes"},
        status=400 if form.errors else 200,
    )


@permission_required(RUN)
def terms_of_reference(request: HttpRequest, pk: int) -> HttpResponse:
    sg = _sg(pk)
    current = selectors.current_terms_of_reference(sg)
    form = forms.TermsOfReferenceForm(
        request.POST or None, initial={"text": current.text if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            request,
            form,
            lambda: services.terms_of_reference_record(
                actor=request.user,
                sg=sg,
                text=d["text"],
                agreed_on=d["agreed_on"],
                review_on=d["review_on"],
            ),
            "Terms of reference recorded.",
        ):
            return redirect("groups:detail", pk=sg.pk)
    return render(
        request,
        "groups/staff/form.html",
        {
            "sg": sg,
            "form": form,
            "title": "Record the terms of reference",
            "button": "Record terms of reference",
        },
        status=400 if form.errors else 200,
    )


@permission_required(RUN)
def term_add(request: HttpRequest, pk: int) -> HttpResponse:
    sg = _sg(pk)
    form = forms.TermForm(
        request.POST or None,
        members=Member.objects.filter(group_memberships__group=sg.group)
        .exclude(status=Member.Status.ERASED)
        .order_by("full_name"),
        staff=User.objects.filter(is_active=True).exclude(role="").order_by("full_name"),
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            request,
            form,
            lambda: services.membership_term_add(
                actor=request.user,
                sg=sg,
                role=d["role"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                member=d["member"],
                user=d["user"],
                named_publicly=d["named_publicly"],
            ),
            "Membership term added.",
        ):
            return redirect("groups:detail", pk=sg.pk)
    return render(
        request,
        "groups/staff/form.html",
        {"sg": sg, "form": form, "title": "Add a membership term", "button": "Add term"},
        status=400 if form.errors else 200,
    )


@permission_required(RUN)
def term_end(request: HttpRequest, pk: int, term_pk: int) -> HttpResponse:
    sg = _sg(pk)
    term = get_object_or_404(MembershipTerm, pk=term_pk, standing_group=sg)
    form = forms.EndTermForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            form,
            lambda: services.membership_term_end(
                actor=request.user, term=term, ends_on=form.cleaned_data["ends_on"]
            ),
            f"{term.name}'s term ends on {form.cleaned_data['ends_on']:%d %B %Y}.",
        )
    ):
        return redirect("groups:detail", pk=sg.pk)
    return render(
        request,
        "groups/staff/form.html",
        {"sg": sg, "form": form, "title": f"End {term.name}'s term", "button": "End term"},
        status=400 if form.errors else 200,
    )


@permission_required(RUN)
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_form(request, _sg(pk), None)


@permission_required(RUN)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    return _meeting_form(request, meeting.standing_group, meeting)


def _meeting_form(request: HttpRequest, sg: StandingGroup, meeting: Meeting | None) -> HttpResponse:
    initial = {}
    if meeting is not None:
        initial = {
            "title": meeting.title,
            "starts_at": timezone.localtime(meeting.starts_at),
            "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
            "place": meeting.place,
            "link": meeting.link,
        }
    form = forms.MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        holder: dict[str, Meeting] = {}

        def write() -> None:
            holder["m"] = services.meeting_save(
                actor=request.user,
                sg=sg,
                meeting=meeting,
                title=d["title"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                place=d["place"],
                link=d["link"],
            )

        if _attempt(request, form, write, "Meeting saved."):
            return redirect("groups:meeting", pk=holder["m"].pk)
    title = "Change the meeting" if meeting else "Arrange a meeting"
    return render(
        request,
        "groups/staff/form.html",
        {"sg": sg, "form": form, "title": title, "button": "Save meeting"},
        status=400 if form.errors else 200,
    )


@permission_required(VIEW)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    sg = meeting.standing_group
    day = timezone.localdate(meeting.starts_at)
    owners = MembershipTerm.objects.filter(pk__in=[t.pk for t in selectors.terms_on(sg, day)])
    minutes = list(meeting.minutes.all())
    return render(
        request,
        "groups/staff/meeting.html",
        {
            "sg": sg,
            "meeting": meeting,
            "minutes": minutes[0] if minutes else None,
            "earlier_minutes": minutes[1:],
            "started": meeting.starts_at <= timezone.now(),
            "counts": selectors.attendance_counts(meeting),
            "agenda_form": forms.AgendaItemForm(prefix="agenda"),
            "paper_form": forms.PaperForm(prefix="paper"),
            "decision_form": forms.DecisionForm(prefix="decision"),
            "action_form": forms.ActionForm(owners=owners, prefix="action"),
            "heard_form": forms.HeardForm(prefix="heard"),
            # what the redactor replaces, shown before the minutes are published
            "check": (
                selectors.minutes_check(minutes[0])
                if minutes and minutes[0].frozen and not minutes[0].published_at
                else []
            ),
        },
    )


@require_POST
@permission_required(RUN)
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    try:
        services.meeting_cancel(actor=request.user, meeting=meeting)
    except services.GroupProblem as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, "The meeting is cancelled.")
    return redirect("groups:meeting", pk=meeting.pk)


def _meeting_post(
    request: HttpRequest,
    meeting: Meeting,
    form: Any,
    write: Callable[[dict[str, Any]], Any],
    success: str,
    anchor: str,
) -> HttpResponse:
    """A small form posted from the meeting page: back to it, with the message."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except services.GroupProblem as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, success)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('groups:meeting', kwargs={'pk': meeting.pk})}#{anchor}")


@require_POST
@permission_required(RUN)
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    return _meeting_post(
        request,
        meeting,
        forms.AgendaItemForm(request.POST, prefix="agenda"),
        lambda d: services.agenda_item_add(
            actor=request.user, meeting=meeting, title=d["title"], notes=d["notes"]
        ),
        "Agenda item added.",
        "agenda",
    )


@require_POST
@permission_required(RUN)
def paper_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    return _meeting_post(
        request,
        meeting,
        forms.PaperForm(request.POST, request.FILES, prefix="paper"),
        lambda d: services.paper_upload(
            actor=request.user, meeting=meeting, title=d["title"], upload=d["file"]
        ),
        "Paper uploaded.",
        "papers",
    )


@require_POST
@permission_required(RUN)
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    return _meeting_post(
        request,
        meeting,
        forms.DecisionForm(request.POST, prefix="decision"),
        lambda d: services.decision_record(actor=request.user, meeting=meeting, text=d["text"]),
        "Decision recorded.",
        "decisions",
    )


@require_POST
@permission_required(RUN)
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    owners = MembershipTerm.objects.filter(standing_group=meeting.standing_group)
    return _meeting_post(
        request,
        meeting,
        forms.ActionForm(request.POST, owners=owners, prefix="action"),
        lambda d: services.action_record(
            actor=request.user,
            meeting=meeting,
            text=d["text"],
            owner=d["owner"],
            due_on=d["due_on"],
        ),
        "Action recorded.",
        "actions",
    )


@require_POST
@permission_required(RUN)
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ActionItem.objects.select_related("meeting"), pk=pk)
    try:
        services.action_done(actor=request.user, action=action)
    except services.GroupProblem as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, "Action marked as done.")
    back = request.POST.get("back", "")
    if back == "group":
        return redirect("groups:detail", pk=action.meeting.standing_group_id)
    return redirect("groups:meeting", pk=action.meeting_id)


@permission_required(RUN)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """One page per meeting, made for a phone: each person with present / apologies / absent."""
    meeting = _meeting(pk)
    sheet = selectors.attendance_sheet(meeting)
    error = ""
    if request.method == "POST":
        statuses: dict[int, str] = {}
        for term, _ in sheet:
            value = request.POST.get(f"term-{term.pk}", "")
            if value:
                statuses[term.pk] = value
        try:
            result = services.attendance_record(
                actor=request.user, meeting=meeting, statuses=statuses
            )
        except services.GroupProblem as problem:
            error = str(problem)
        else:
            messages.success(
                request,
                "Attendance saved."
                if result["changed"]
                else "Nothing changed: attendance was already as recorded.",
            )
            return redirect("groups:meeting", pk=meeting.pk)
    rows = [
        (term, request.POST.get(f"term-{term.pk}", status) if request.method == "POST" else status)
        for term, status in sheet
    ]
    return render(
        request,
        "groups/staff/attendance.html",
        {
            "sg": meeting.standing_group,
            "meeting": meeting,
            "rows": rows,
            "choices": Attendance.Status.choices,
            "error": error,
        },
        status=400 if error else 200,
    )


@permission_required(RUN)
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    latest = meeting.minutes.order_by("-version").first()
    form = forms.MinutesForm(request.POST or None, initial={"text": latest.text if latest else ""})
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            form,
            lambda: services.minutes_draft_save(
                actor=request.user, meeting=meeting, text=form.cleaned_data["text"]
            ),
            "Draft minutes saved.",
        )
    ):
        return redirect("groups:meeting", pk=meeting.pk)
    return render(
        request,
        "groups/staff/form.html",
        {
            "sg": meeting.standing_group,
            "meeting": meeting,
            "form": form,
            "title": "Draft minutes",
            "button": "Save draft minutes",
        },
        status=400 if form.errors else 200,
    )


def _minutes(pk: int) -> Minutes:
    return get_object_or_404(
        Minutes.objects.select_related("meeting__standing_group__group"), pk=pk
    )


@require_POST
@permission_required(RUN)
def heard_add(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(pk)
    return _meeting_post(
        request,
        minutes.meeting,
        forms.HeardForm(request.POST, prefix="heard"),
        lambda d: services.heard_item_add(
            actor=request.user, minutes=minutes, text=d["text"], topic=d["topic"]
        ),
        "Recorded: it goes into the insight bank when the minutes are approved.",
        "minutes",
    )


@permission_required(APPROVE)
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(pk)
    meeting = minutes.meeting
    day = timezone.localdate(meeting.starts_at)
    approvers = MembershipTerm.objects.filter(
        pk__in=[t.pk for t in selectors.approvers_on(meeting.standing_group, day)]
    )
    form = forms.ApproveForm(request.POST or None, approvers=approvers)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            form,
            lambda: services.minutes_approve(
                actor=request.user, minutes=minutes, approver=form.cleaned_data["approver"]
            ),
            "Minutes approved. They can no longer change; what the group said is in the insight bank.",
        )
    ):
        return redirect("groups:meeting", pk=meeting.pk)
    return render(
        request,
        "groups/staff/approve.html",
        {"sg": meeting.standing_group, "meeting": meeting, "minutes": minutes, "form": form},
        status=400 if form.errors else 200,
    )


@permission_required(RUN)
def minutes_correct(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(pk)
    form = forms.CorrectionForm(request.POST or None, initial={"text": minutes.text})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            request,
            form,
            lambda: services.minutes_correct(
                actor=request.user, minutes=minutes, text=d["text"], reason=d["reason"]
            ),
            "Correction started: it is a new draft version, to be approved.",
        ):
            return redirect("groups:meeting", pk=minutes.meeting_id)
    return render(
        request,
        "groups/staff/form.html",
        {
            "sg": minutes.meeting.standing_group,
            "meeting": minutes.meeting,
            "form": form,
            "title": f"Correct the approved minutes (version {minutes.version})",
            "button": "Start the correction",
        },
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required(RUN)
def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(pk)
    try:
        services.minutes_publish(actor=request.user, minutes=minutes)
    except services.GroupProblem as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, "Minutes published on the group's public page.")
    return redirect("groups:meeting", pk=minutes.meeting_id)
