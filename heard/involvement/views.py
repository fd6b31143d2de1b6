"""Staff pages for involvement opportunities, samples, invitations, participation, reach
and retention. Thin: forms validate, services write, selectors read."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from heard.accounts import selectors as rules_selectors
from heard.core.permissions import permission_required
from heard.involvement import selectors, services
from heard.involvement.charts import bar_chart
from heard.involvement.domain import TransitionError, transitions_from
from heard.involvement.forms import (
    CriteriaForm,
    OpportunityForm,
    PopulationUploadForm,
    RetentionRulesForm,
    SampleForm,
)
from heard.involvement.models import Invitation, Opportunity, ReferencePopulation, SampleRun
from heard.involvement.population import DIMENSION_LABELS, PopulationError
from heard.people.models import RetentionRule
from heard.people.services import retention
from heard.people.tasks_retention import retention_run_task


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@permission_required("involvement.view_opportunities")
def opportunity_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    opportunities = selectors.opportunities_list()
    if status in Opportunity.Status.values:
        opportunities = opportunities.filter(status=status)
    return render(
        request,
        "involvement/opportunity_list.html",
        {"opportunities": opportunities, "status": status, "statuses": Opportunity.Status.choices},
    )


@permission_required("involvement.manage_opportunities")
def opportunity_create(request: HttpRequest) -> HttpResponse:
    form = OpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        opportunity = services.opportunity_create(
            actor=request.user,
            fields=form.service_fields(),
            topics=form.cleaned_data.get("topics") or [],
        )
        messages.success(request, "Opportunity created as a draft.")
        return redirect("involvement:opportunity", pk=opportunity.pk)
    return render(request, "involvement/opportunity_form.html", {"form": form, "opportunity": None})


@permission_required("involvement.manage_opportunities")
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(Opportunity, pk=pk)
    form = OpportunityForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        # the ModelForm has already copied the values onto the instance: compare afresh
        fresh = Opportunity.objects.get(pk=pk)
        services.opportunity_update(
            actor=request.user,
            opportunity=fresh,
            fields=form.service_fields(),
            topics=form.cleaned_data.get("topics") or [],
        )
        messages.success(request, "Changes saved.")
        return redirect("involvement:opportunity", pk=pk)
    return render(
        request, "involvement/opportunity_form.html", {"form": form, "opportunity": opportunity}
    )


@permission_required("involvement.view_opportunities")
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(Opportunity, pk=pk)
    can_manage = request.user.has_perm("involvement.manage_opportunities")
    invitations = None
    if can_manage:
        invitations = Paginator(selectors.opportunity_invitations(opportunity), 50).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "involvement/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "counts": selectors.opportunity_answer_counts(opportunity),
            "progress": selectors.opportunity_mail_progress(opportunity),
            "transitions": transitions_from(opportunity.status),
            "can_manage": can_manage,
            "invitations": invitations,
            "samples": opportunity.samples.all()[:10],
        },
    )


@permission_required("involvement.view_opportunities")
def mail_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The "emails sent so far" panel, polled by htmx while invitations go out."""
    opportunity = get_object_or_404(Opportunity, pk=pk)
    return render(
        request,
        "involvement/includes/mail_progress.html",
        {"opportunity": opportunity, "progress": selectors.opportunity_mail_progress(opportunity)},
    )


@require_POST
@permission_required("involvement.manage_opportunities")
def mail_retry(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(Opportunity, pk=pk)
    count = services.invitations_mail_retry(
        actor=request.user, opportunity=opportunity, base_url=_base_url(request)
    )
    messages.success(
        request, f"Trying again to send {count} invitation email{'s' if count != 1 else ''}."
    )
    return redirect("involvement:opportunity", pk=pk)


@require_POST
@permission_required("involvement.manage_opportunities")
def opportunity_status(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(Opportunity, pk=pk)
    try:
        services.opportunity_transition(
            actor=request.user, opportunity=opportunity, to=request.POST.get("to", "")
        )
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"The opportunity is now {opportunity.get_status_display().lower()}."
        )
    return redirect("involvement:opportunity", pk=pk)


@permission_required("involvement.manage_opportunities")
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite by criteria: preview the count, then send.

    Special-category data is minimised: a count under HEARD_SMALL_NUMBER_THRESHOLD is
    shown as "fewer than N" (never "1 member matches" for a named area, age, ethnic
    group and sex); choosing by characteristics needs ``people.view_equality``; and
    invitations by characteristics go only to groups of at least the threshold, since
    the list of who was invited names them.
    """
    opportunity = get_object_or_404(Opportunity, pk=pk)
    form = CriteriaForm(request.POST or None)
    preview: int | None = None
    threshold = rules_selectors.small_number_threshold()
    if request.method == "POST" and form.is_valid():
        criteria = form.criteria()
        by_characteristics = bool(criteria.age_bands or criteria.sexes or criteria.ethnic_groups)
        matching = selectors.members_matching(criteria, not_invited_to=opportunity)
        if by_characteristics and not request.user.has_perm("people.view_equality"):
            form.add_error(
                None,
                "Choosing people by age, sex or ethnic group needs permission to see "
                "equality monitoring. Leave those questions empty, or ask an administrator",
            )
        elif request.POST.get("action") == "send":
            if by_characteristics and 0 < matching.count() < threshold:
                form.add_error(
                    None,
                    f"Fewer than {threshold} members have these characteristics: the list "
                    "of who was invited would show who they are. Choose more broadly",
                )
                return _invite_page(request, opportunity, form, None, threshold)
            try:
                counts = services.invitations_send_criteria(
                    actor=request.user,
                    opportunity=opportunity,
                    criteria=criteria,
                    base_url=_base_url(request),
                )
            except services.InvolvementError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _sent_message(counts))
                return redirect("involvement:opportunity", pk=pk)
        else:
            preview = matching.count()
    return _invite_page(request, opportunity, form, preview, threshold)


def _invite_page(
    request: HttpRequest,
    opportunity: Opportunity,
    form: CriteriaForm,
    preview: int | None,
    threshold: int,
) -> HttpResponse:
    return render(
        request,
        "involvement/invite.html",
        {
            "opportunity": opportunity,
            "form": form,
            "preview": preview,
            "threshold": threshold,
            # 1 to threshold-1 are never shown exactly (0 is: nobody to invite).
            "suppressed": preview is not None and 0 < preview < threshold,
        },
    )


def _sent_message(counts: dict[str, int]) -> str:
    sent = counts["sent"]
    text = f"{sent} invitation{'s' if sent != 1 else ''} sent. The emails go out in the background."
    skipped = counts["skipped_not_contactable"] + counts["skipped_already_invited"]
    if skipped:
        text += f" {skipped} skipped (already invited, or not contactable by email)."
    return text


@permission_required("involvement.manage_opportunities")
def sample_new(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(Opportunity, pk=pk)
    initial = {"size": opportunity.places * 3, "redistribute": True}
    form = SampleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.sample_draw(
                actor=request.user,
                opportunity=opportunity,
                criteria=form.criteria(),
                size=data["size"],
                dimensions=data["dimensions"],
                population_key=data["population"],
                seed=data.get("seed"),
                redistribute=bool(data.get("redistribute")),
            )
        except (services.InvolvementError, PopulationError) as error:
            form.add_error(None, str(error))
        else:
            return redirect("involvement:sample", pk=run.pk)
    return render(
        request, "involvement/sample_form.html", {"opportunity": opportunity, "form": form}
    )


@permission_required("involvement.manage_opportunities")
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(SampleRun.objects.select_related("opportunity"), pk=pk)
    total_target = sum(r["target"] for r in run.strata) or 1
    chart = bar_chart(
        title=f"Target against achieved mix for a sample of {run.size}",
        first_name="Target",
        second_name="Achieved",
        rows=[
            (r["stratum"], r["target"] / total_target, r["achieved"] / total_target)
            for r in run.strata
            if r["target"] or r["achieved"]
        ],
    )
    achieved = len(run.selected)
    return render(
        request,
        "involvement/sample_detail.html",
        {
            "run": run,
            "opportunity": run.opportunity,
            "chart": chart,
            "achieved": achieved,
            "dimension_names": [DIMENSION_LABELS.get(d, d) for d in run.dimensions],
            "extra_strata": [r for r in run.strata if r["extra"]],
            "strata": [
                {**r, "share_text": f"{r['target_share'] * 100:.1f}%"}
                for r in run.strata
                if r["target"] or r["achieved"]
            ],
            "zero_strata": [r["stratum"] for r in run.strata if not (r["target"] or r["achieved"])],
        },
    )


@require_POST
@permission_required("involvement.manage_opportunities")
def sample_send(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(SampleRun.objects.select_related("opportunity"), pk=pk)
    try:
        counts = services.invitations_send_sample(
            actor=request.user, sample_run=run, base_url=_base_url(request)
        )
    except services.InvolvementError as error:
        messages.error(request, str(error))
        return redirect("involvement:sample", pk=pk)
    messages.success(request, _sent_message(counts))
    return redirect("involvement:opportunity", pk=run.opportunity_id)


@require_POST
@permission_required("involvement.manage_opportunities")
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.invitation_withdraw(
            actor=request.user, invitation=invitation, base_url=_base_url(request)
        )
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Invitation withdrawn. We have emailed the member to say so.")
    return redirect("involvement:opportunity", pk=invitation.opportunity_id)


@require_POST
@permission_required("involvement.manage_opportunities")
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(Opportunity, pk=pk)
    try:
        days = max(0, int(request.POST.get("after_days", "7")))
    except ValueError:
        days = 7
    sent = services.invitations_remind(
        actor=request.user, opportunity=opportunity, after_days=days, base_url=_base_url(request)
    )
    if sent:
        messages.success(request, f"{sent} reminder{'s' if sent != 1 else ''} sent.")
    else:
        messages.info(
            request,
            f"No reminders were due: nobody has waited {days} days without answering and "
            "without a reminder already.",
        )
    return redirect("involvement:opportunity", pk=pk)


@permission_required("involvement.view_participation")
def participation(request: HttpRequest) -> HttpResponse:
    most = Paginator(selectors.participation_asked_most(), 50).get_page(request.GET.get("most"))
    quiet = Paginator(selectors.participation_not_recently_invited(), 50).get_page(
        request.GET.get("quiet")
    )
    return render(
        request,
        "involvement/participation.html",
        {"summary": selectors.participation_summary(), "most": most, "quiet": quiet},
    )


EQUALITY_CHART_KEYS = frozenset({"age_band", "sex", "ethnic_group"})


@permission_required("involvement.view_reach")
def reach(request: HttpRequest) -> HttpResponse:
    key = request.GET.get("population", selectors.BUILT_IN_KEY)
    try:
        population = selectors.population_get(key)
    except PopulationError:
        population = selectors.population_get(selectors.BUILT_IN_KEY)
    charts = []
    # Age, sex and ethnic group come from equality monitoring: only for people.view_equality
    # (programme leads see reach by place alone).
    with_equality = request.user.has_perm("people.view_equality")
    for reach_chart in selectors.reach_charts(population):
        if not with_equality and reach_chart.key in EQUALITY_CHART_KEYS:
            continue
        svg = bar_chart(
            title=f"Members by {reach_chart.title.lower()}",
            first_name="Members",
            second_name="Population",
            rows=[(r.category, r.member_share, r.population_share) for r in reach_chart.rows],
            missing_text="not shown",
        )
        charts.append({"data": reach_chart, "svg": svg})
    return render(
        request,
        "involvement/reach.html",
        {
            "charts": charts,
            "equality_hidden": not with_equality,
            "population": population,
            "population_key": key,
            "populations": selectors.population_choices(),
            "threshold": selectors.small_number_threshold(),
            "not_invited": selectors.members_not_invited_for_a_year(),
            "ratio_percent": int(selectors.UNDER_REPRESENTED_RATIO * 100),
        },
    )


@permission_required("involvement.manage_populations")
def populations(request: HttpRequest) -> HttpResponse:
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.population_upload(
                actor=request.user, name=form.cleaned_data["name"], text=form.cleaned_data["file"]
            )
        except PopulationError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"Population “{form.cleaned_data['name']}” saved.")
            return redirect("involvement:populations")
    items: list[dict[str, Any]] = []
    for key, name in selectors.population_choices():
        try:
            parsed = selectors.population_get(key)
            items.append({"name": name, "population": parsed, "error": ""})
        except PopulationError as error:
            items.append({"name": name, "population": None, "error": str(error)})
    return render(
        request,
        "involvement/populations.html",
        {"form": form, "items": items, "stored": ReferencePopulation.objects.count()},
    )


@permission_required("involvement.manage_retention")
def retention_page(request: HttpRequest) -> HttpResponse:
    rules = retention.retention_rules()
    remind = rules[str(RetentionRule.Action.REMIND)]
    erase = rules[str(RetentionRule.Action.ERASE)]
    initial = {
        "remind_days": remind.after_days,
        "remind_enabled": remind.enabled,
        "erase_days": erase.after_days,
        "erase_enabled": erase.enabled,
    }
    form = RetentionRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            retention.retention_rules_update(actor=request.user, **form.cleaned_data)
        except retention.RetentionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Retention rules saved.")
            return redirect("involvement:retention")
    plan = retention.retention_plan()
    return render(
        request,
        "involvement/retention.html",
        {
            "form": form,
            "remind": remind,
            "erase": erase,
            "plan": plan,
            "runs": retention.retention_runs()[:20],
        },
    )


@require_POST
@permission_required("involvement.manage_retention")
def retention_run_now(request: HttpRequest) -> HttpResponse:
    dry_run = request.POST.get("dry_run") == "on"
    retention_run_task.enqueue(actor_id=request.user.pk, dry_run=dry_run)
    messages.success(
        request,
        "Dry run started: it counts who would be reminded or erased and changes nothing."
        if dry_run
        else "Retention run started. Refresh this page to see the result below.",
    )
    return redirect("involvement:retention")
