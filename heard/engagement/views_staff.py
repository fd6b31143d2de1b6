"""Staff pages for activities: list, create, edit, move through the lifecycle, feedback."""

import dataclasses

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from heard.audit.selectors import EventFilter, audit_events
from heard.core.permissions import permission_required
from heard.engagement import domain, guards, hooks, selectors, services
from heard.engagement.forms import ActivityForm, FeedbackForm, TransitionForm
from heard.engagement.models import Activity

GUARDED = {domain.Status.FEEDBACK_PUBLISHED}

ACTIONS = {
    domain.Status.SCHEDULED: "Schedule it to open automatically",
    domain.Status.OPEN: "Open it now",
    domain.Status.DRAFT: "Return it to draft",
    domain.Status.CLOSED: "Close it now",
    domain.Status.FEEDBACK_PUBLISHED: "Publish the feedback",
    domain.Status.ARCHIVED: "Archive it",
}


@permission_required("engagement.view_activities")
def activity_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    level = request.GET.get("level", "")
    now = timezone.now()
    page = Paginator(selectors.staff_activities(status=status, level=level, now=now), 25).get_page(
        request.GET.get("page")
    )
    for activity in page.object_list:  # the status from the dates, as the public sees it
        activity.shown_status = Activity.Status(  # type: ignore[attr-defined]
            str(selectors.effective_status(activity, now))
        ).label
    return render(
        request,
        "engagement/staff/activity_list.html",
        {
            "page": page,
            "status": status,
            "level": level,
            "statuses": Activity.Status.choices,
            "levels": Activity.Level.choices,
            "missing_feedback": selectors.activities_missing_feedback(now),
        },
    )


@permission_required("engagement.change_activities")
def activity_create(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        activity = services.activity_save(
            actor=request.user,
            fields=form.model_fields(),
            topics=form.cleaned_data["topics"],
            groups=form.cleaned_data["groups"],
            localities=form.cleaned_data["localities"],
        )
        messages.success(request, "The activity has been saved as a draft.")
        return redirect("engagement:detail", pk=activity.pk)
    return render(request, "engagement/staff/activity_form.html", {"form": form, "activity": None})


@permission_required("engagement.change_activities")
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(
                actor=request.user,
                activity=activity,
                fields=form.model_fields(),
                topics=form.cleaned_data["topics"],
                groups=form.cleaned_data["groups"],
                localities=form.cleaned_data["localities"],
            )
        except services.TransitionRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect("engagement:detail", pk=activity.pk)
    return render(
        request, "engagement/staff/activity_form.html", {"form": form, "activity": activity}
    )


@permission_required("engagement.view_activities")
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        Activity.objects.prefetch_related("topics", "localities", "audience_groups"), pk=pk
    )
    facts = activity.facts()
    now = timezone.now()
    choices = [
        (
            target,
            ACTIONS[target],
            domain.transition_problems(facts, target, now)
            # feedback goes public by approval (the publication step registers a guard)
            + (guards.problems(activity, target, now, False) if target in GUARDED else []),
            domain.closes_early(facts, target, now, by_clock=False),
        )
        for target in sorted(domain.TRANSITIONS[facts.status])
    ]
    shown = domain.effective_status(facts, now)
    history = audit_events(
        EventFilter(subject_type="engagement.activity", subject_id=str(activity.pk))
    )[:50]
    return render(
        request,
        "engagement/staff/activity_detail.html",
        {
            "activity": activity,
            "choices": choices,
            "feedback_form": FeedbackForm(initial={"feedback": activity.feedback}),
            "feedback_publication": hooks.feedback_publication(activity),
            # What the public sees now, from the dates, even before the clock records it.
            "shown_status": Activity.Status(str(shown)).label,
            "status_pending": shown != facts.status,
            "needs_feedback": domain.needs_feedback_flag(dataclasses.replace(facts, status=shown)),
            "limbs": [domain.LIMBS[k] for k in activity.limbs if k in domain.LIMBS],
            "principles": [
                domain.PRINCIPLES[n] for n in activity.principles if n in domain.PRINCIPLES
            ],
            "history": history,
            "extra_links": hooks.activity_links(activity, request.user),
        },
    )


@require_POST
@permission_required("engagement.change_activities")
def activity_transition(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to do with the activity.")
        return redirect("engagement:detail", pk=pk)
    try:
        services.activity_transition(
            activity=activity,
            target=form.cleaned_data["target"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.TransitionRefused as exc:
        for problem in exc.problems:
            messages.error(request, problem)
    else:
        activity.refresh_from_db()
        messages.success(request, f"The activity is now {activity.get_status_display().lower()}.")
    return redirect("engagement:detail", pk=pk)


@require_POST
@permission_required("engagement.change_activities")
def activity_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.activity_feedback_save(
            actor=request.user, activity=activity, feedback=form.cleaned_data["feedback"]
        )
        messages.success(
            request,
            "The feedback has been saved. Send it for approval when it is ready: it goes "
            "public once a person with the permission to publish approves it.",
        )
    else:
        messages.error(request, "Write the feedback before saving it.")
    return redirect("engagement:detail", pk=pk)


@permission_required("engagement.erase_responses")
def response_erase(request: HttpRequest) -> HttpResponse:
    """Erase one response's words on the respondent's request (administrators)."""
    from heard.engagement import services_erasure
    from heard.engagement.forms import ResponseEraseForm

    form = ResponseEraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services_erasure.response_erase(
                reference=data["reference"],
                actor=request.user,
                reason=data["reason"],
                dpo_agreed=data["dpo_agreed"],
            )
        except services_erasure.ResponseNotFound as exc:
            form.add_error("reference", str(exc))
        except services_erasure.ErasureRefused as exc:
            field = "dpo_agreed" if "data protection officer" in str(exc) else "reason"
            form.add_error(field, str(exc))
        else:
            messages.success(
                request,
                f"The words of response {data['reference'].strip().upper()} are erased: "
                f"{result['answers']} answers deleted, {result['blanked']} blanked, "
                f"{result['equality']} \u201cabout you\u201d record(s) deleted.",
            )
            return redirect("engagement:response_erase")
    return render(
        request,
        "engagement/staff/response_erase.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
