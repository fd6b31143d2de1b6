"""The rules page: administrators change the legal thresholds and pre-election periods."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from heard.accounts import selectors, services
from heard.accounts.forms import PreElectionPeriodForm, PreElectionPeriodRemoveForm, RulesForm
from heard.accounts.models import PreElectionPeriod
from heard.core.permissions import permission_required


def _add_problems(form: Any, problems: dict[str, list[str]]) -> None:
    for field, messages_ in problems.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def _page(request: HttpRequest, **forms: Any) -> HttpResponse:
    current = selectors.rules()
    initial = {
        "consultation_min_weeks": current.consultation_min_weeks,
        "small_number_threshold": current.small_number_threshold,
        "stage2_required": "yes" if current.stage2_required else "no",
        "stage2_off_reason": current.stage2_off_reason,
        "may_elections": "yes" if current.may_elections else "no",
    }
    return render(
        request,
        "accounts/staff/rules.html",
        {
            "rules": current,
            "row": selectors.rule_settings_row(),
            "form": forms.get("form") or RulesForm(initial=initial),
            "period_form": forms.get("period_form") or PreElectionPeriodForm(),
            "recorded": selectors.recorded_pre_election_periods(),
            "periods": selectors.pre_election_periods(),
        },
    )


@permission_required("accounts.manage_rules")
def rules_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = RulesForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.rules_change(
                actor=request.user,
                consultation_min_weeks=data["consultation_min_weeks"],
                small_number_threshold=data["small_number_threshold"],
                stage2_required=data["stage2_required"],
                stage2_off_reason=data["stage2_off_reason"],
                may_elections=data["may_elections"],
                reason=data["reason"],
            )
        except services.RulesError as exc:
            _add_problems(form, exc.problems)
        else:
            messages.success(request, "The rules have been changed.")
            return redirect("rules:page")
    return _page(request, form=form)


@require_POST
@permission_required("accounts.manage_rules")
def period_add(request: HttpRequest) -> HttpResponse:
    form = PreElectionPeriodForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.pre_election_period_add(
                actor=request.user,
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
            )
        except services.RulesError as exc:
            _add_problems(form, exc.problems)
        else:
            messages.success(request, "The pre-election period has been added.")
            return redirect("rules:page")
    return _page(request, period_form=form)


@permission_required("accounts.manage_rules")
def period_remove(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(PreElectionPeriod, pk=pk)
    form = PreElectionPeriodRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pre_election_period_remove(
                actor=request.user, period=period, reason=form.cleaned_data["reason"]
            )
        except services.RulesError as exc:
            _add_problems(form, exc.problems)
        else:
            messages.success(request, f"{period.name} has been removed.")
            return redirect("rules:page")
    return render(
        request, "accounts/staff/pre_election_remove.html", {"period": period, "form": form}
    )
