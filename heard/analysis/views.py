"""Staff pages for the analysis of responses. Thin: reads through selectors, writes
through services; statuses are never tested here (the run knows if it is active)."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from heard.accounts import selectors as rules_selectors
from heard.analysis import charts, domain, hooks, selectors, services
from heard.analysis.forms import (
    AddCodingForm,
    DeleteForm,
    MergeForm,
    SignOffForm,
    SplitForm,
    ThemeAddForm,
    ThemeForm,
)
from heard.analysis.models import AnalysisRun, AnswerAnalysis, Coding, Theme
from heard.core.permissions import permission_required
from heard.engagement.models import Activity, Question

SPLIT_CHOICES = 60


def _question(pk: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("version__questionnaire__activity"), pk=pk
    )
    if not question.is_free_text:
        raise Http404
    # A later questionnaire version's question with the same key shares the first one's
    # analysis: its pages are the first one's.
    return selectors.analysis_question(question)


def _context(question: Question, **extra: Any) -> dict[str, Any]:
    return {
        "question": question,
        "activity": question.version.questionnaire.activity,
        **extra,
    }


@permission_required("analysis.view_analysis")
def index(request: HttpRequest) -> HttpResponse:
    questions = selectors.questions_for_analysis()
    activity = None
    raw = request.GET.get("activity", "")
    if raw.isdigit():
        activity = Activity.objects.filter(pk=int(raw)).first()
    if activity is not None:
        questions = questions.filter(version__questionnaire__activity=activity)
    return render(
        request,
        "analysis/staff/index.html",
        {"questions": questions[:200], "activity": activity},
    )


@permission_required("analysis.view_analysis")
def question(request: HttpRequest, pk: int) -> HttpResponse:
    q = _question(pk)
    codeframe = selectors.codeframe_of(q)
    run = selectors.latest_run(q)
    finished = selectors.latest_finished_run(q)
    themes = selectors.themes_with_counts(codeframe) if codeframe else []
    chart = charts.theme_chart(
        title="Responses per theme, by sentiment",
        rows=[(r.theme.name, r.negative, r.neutral, r.positive) for r in themes if not r.depth],
    )
    return render(
        request,
        "analysis/staff/question.html",
        _context(
            q,
            run=run,
            finished=finished,
            summary=finished.summary if finished else {},
            codeframe=codeframe,
            themes=themes,
            chart=chart,
            counts=selectors.queue_counts(q),
            support=selectors.support_by_theme(q, themes),
            evidence=selectors.evidence_answers(q),
            code_next=selectors.code_next(q),
            min_people=domain.MIN_PEOPLE_CODED,
            stuck=bool(run and selectors.run_seems_stuck(run)),
            extra_links=hooks.question_links(q, request.user),
        ),
    )


@require_POST
@permission_required("analysis.run_analysis")
def run_start(request: HttpRequest, pk: int) -> HttpResponse:
    q = _question(pk)
    try:
        run = services.analysis_run_start(question=q, actor=request.user)
    except services.AnalysisProblem as problem:
        messages.error(request, str(problem))
        return redirect("analysis:question", pk=q.pk)
    return redirect("analysis:run", pk=run.pk)


def _run_context(run: AnalysisRun) -> dict[str, Any]:
    return {"run": run, "stuck": selectors.run_seems_stuck(run)}


@permission_required("analysis.view_analysis")
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(AnalysisRun.objects.select_related("question"), pk=pk)
    q = _question(run.question_id)
    return render(request, "analysis/staff/run.html", _context(q, **_run_context(run)))


@permission_required("analysis.view_analysis")
def run_status(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(AnalysisRun, pk=pk)
    return render(request, "analysis/staff/_run_status.html", _run_context(run))


# Codeframe editor ----------------------------------------------------------------------


@permission_required("analysis.view_analysis")
def codeframe(request: HttpRequest, pk: int) -> HttpResponse:
    q = _question(pk)
    return _codeframe_page(request, q, SignOffForm())


def _codeframe_page(
    request: HttpRequest, q: Question, form: SignOffForm, status: int = 200
) -> HttpResponse:
    frame = selectors.codeframe_of(q)
    versions = selectors.signed_versions(frame) if frame else []
    themes = selectors.themes_with_counts(frame) if frame else []
    return render(
        request,
        "analysis/staff/codeframe.html",
        _context(
            q,
            codeframe=frame,
            themes=themes,
            quote_choices=selectors.quote_choices(frame, themes) if frame else [],
            versions=versions,
            signed=versions[0] if versions else None,
            signed_themes=selectors.signed_themes(versions[0]) if versions else [],
            form=form,
        ),
        status=status,
    )


@require_POST
@permission_required("analysis.change_codeframe")
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    q = _question(pk)
    frame = selectors.codeframe_of(q)
    if frame is None:
        messages.error(request, "Run the analysis first: there is no codeframe to sign off.")
        return redirect("analysis:question", pk=q.pk)
    form = SignOffForm(request.POST)
    if form.is_valid():
        # the quotes ticked for each theme offered (none ticked: no quotes for it)
        offered = [int(t) for t in request.POST.getlist("quote_themes") if t.isdigit()]
        quotes = {
            theme_id: [int(a) for a in request.POST.getlist(f"quotes-{theme_id}") if a.isdigit()]
            for theme_id in offered
        }
        try:
            version = services.codeframe_sign_off(
                codeframe=frame,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                quotes=quotes or None,
            )
        except services.AnalysisProblem as problem:
            form.add_error("reason", str(problem))
        else:
            messages.success(request, f"Version {version.number} of the codeframe signed off.")
            return redirect("analysis:codeframe", pk=q.pk)
    return _codeframe_page(request, q, form, status=400)


@permission_required("analysis.change_codeframe")
def theme_add(request: HttpRequest, pk: int) -> HttpResponse:
    q = _question(pk)
    frame = selectors.codeframe_of(q)
    if frame is None:
        messages.error(request, "Run the analysis first: it proposes the themes to start from.")
        return redirect("analysis:question", pk=q.pk)
    form = ThemeAddForm(
        request.POST or None, themes=Theme.objects.filter(codeframe=frame).order_by("name")
    )
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_add(
                codeframe=frame,
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                parent=form.cleaned_data["parent"],
            )
        except services.AnalysisProblem as problem:
            form.add_error("name", str(problem))
        else:
            messages.success(request, f"Theme “{theme.name}” added.")
            return redirect("analysis:codeframe", pk=q.pk)
    return render(
        request,
        "analysis/staff/theme_form.html",
        _context(q, form=form, theme=None),
        status=400 if form.errors else 200,
    )


def _theme(pk: int) -> Theme:
    return get_object_or_404(Theme.objects.select_related("codeframe__question"), pk=pk)


@permission_required("analysis.change_codeframe")
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = _theme(pk)
    q = _question(theme.codeframe.question_id)
    form = ThemeForm(
        request.POST or None, initial={"name": theme.name, "description": theme.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(
                theme=theme,
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except services.AnalysisProblem as problem:
            form.add_error("name", str(problem))
        else:
            messages.success(request, f"Theme “{theme.name}” saved.")
            return redirect("analysis:codeframe", pk=q.pk)
    return render(
        request,
        "analysis/staff/theme_form.html",
        _context(q, form=form, theme=theme),
        status=400 if form.errors else 200,
    )


@permission_required("analysis.change_codeframe")
def theme_merge(request: HttpRequest, pk: int) -> HttpResponse:
    theme = _theme(pk)
    q = _question(theme.codeframe.question_id)
    form = MergeForm(request.POST or None, theme=theme)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        name = theme.name
        try:
            services.theme_merge(source=theme, target=target, actor=request.user)
        except services.AnalysisProblem as problem:
            form.add_error("target", str(problem))
        else:
            messages.success(request, f"“{name}” merged into “{target.name}”.")
            return redirect("analysis:codeframe", pk=q.pk)
    return render(
        request,
        "analysis/staff/theme_merge.html",
        _context(q, form=form, theme=theme, answers=theme.codings.count()),
        status=400 if form.errors else 200,
    )


def _split_choices(theme: Theme) -> list[tuple[str, str]]:
    rows = (
        AnswerAnalysis.objects.filter(answer__codings__theme=theme)
        .exclude(answer__codings__status=Coding.Status.REJECTED, answer__codings__theme=theme)
        .order_by("answer_id")
        .values_list("answer_id", "redacted_text")[:SPLIT_CHOICES]
    )
    return [(str(a), text[:300] + ("…" if len(text) > 300 else "")) for a, text in rows]


@permission_required("analysis.change_codeframe")
def theme_split(request: HttpRequest, pk: int) -> HttpResponse:
    theme = _theme(pk)
    q = _question(theme.codeframe.question_id)
    form = SplitForm(request.POST or None, choices=_split_choices(theme))
    if request.method == "POST" and form.is_valid():
        try:
            new = services.theme_split(
                theme=theme,
                actor=request.user,
                name=form.cleaned_data["name"],
                answer_ids=[int(a) for a in form.cleaned_data["answers"]],
            )
        except services.AnalysisProblem as problem:
            form.add_error("name", str(problem))
        else:
            messages.success(
                request,
                f"Sub-theme “{new.name}” made from “{theme.name}” with "
                f"{len(form.cleaned_data['answers'])} response(s).",
            )
            return redirect("analysis:codeframe", pk=q.pk)
    return render(
        request,
        "analysis/staff/theme_split.html",
        _context(q, form=form, theme=theme, shown=SPLIT_CHOICES),
        status=400 if form.errors else 200,
    )


@permission_required("analysis.change_codeframe")
def theme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    theme = _theme(pk)
    q = _question(theme.codeframe.question_id)
    form = DeleteForm(request.POST or None, theme=theme)
    if request.method == "POST" and form.is_valid():
        move_to = form.cleaned_data["move_to"] if form.cleaned_data["what"] == "move" else None
        name = theme.name
        try:
            count = services.theme_delete(theme=theme, actor=request.user, move_to=move_to)
        except services.AnalysisProblem as problem:
            form.add_error("move_to", str(problem))
        else:
            if move_to is not None:
                text = f"Theme “{name}” deleted; {count} coding(s) moved to “{move_to.name}”."
            else:
                text = f"Theme “{name}” deleted; {count} coding(s) removed."
            messages.success(request, text)
            return redirect("analysis:codeframe", pk=q.pk)
    return render(
        request,
        "analysis/staff/theme_delete.html",
        _context(q, form=form, theme=theme, answers=theme.codings.count()),
        status=400 if form.errors else 200,
    )


# Review queue --------------------------------------------------------------------------


@permission_required("analysis.code_answers")
def review(request: HttpRequest, pk: int) -> HttpResponse:
    q = _question(pk)
    item = selectors.next_in_queue(q)
    if item is not None:
        return redirect("analysis:review_answer", pk=item.answer_id)
    return render(
        request,
        "analysis/staff/review_done.html",
        _context(q, counts=selectors.queue_counts(q)),
    )


@permission_required("analysis.code_answers")
def review_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.review_item(pk)
    if item is None:
        raise Http404
    q = _question(item.question_id)
    frame = selectors.codeframe_of(q)
    if frame is None:
        raise Http404
    codings = selectors.codings_of(pk)
    held = [c.theme_id for c in codings if c.status != Coding.Status.REJECTED]
    form = AddCodingForm(
        request.POST if "add" in request.POST else None,
        themes=Theme.objects.filter(codeframe=frame).exclude(pk__in=held).order_by("name"),
    )
    error = ""
    if request.method == "POST":
        decision = request.POST.get("accept") or request.POST.get("reject")
        if decision:
            coding = next((c for c in codings if str(c.pk) == decision), None)
            if coding is None:
                messages.error(request, "That suggestion has changed. Review this response again.")
                return redirect(_review_url(pk))
            accept = "accept" in request.POST
            finished = services.coding_decide(coding=coding, actor=request.user, accept=accept)
            verb = "accepted" if accept else "rejected"
            messages.success(request, f"“{coding.theme.name}” {verb}.")
            return _after(q, pk, finished)
        if "add" in request.POST and form.is_valid():
            theme = form.cleaned_data["theme"]
            services.coding_add(answer_id=pk, theme=theme, actor=request.user)
            messages.success(request, f"“{theme.name}” added to this response.")
            return redirect(_review_url(pk))
        if "done" in request.POST:
            try:
                services.answer_reviewed(analysis=item, actor=request.user)
            except services.AnalysisProblem as problem:
                error = str(problem)
            else:
                return _after(q, pk, True)
    return render(
        request,
        "analysis/staff/review_answer.html",
        _context(
            q,
            item=item,
            codings=codings,
            open_suggestions=any(c.status == Coding.Status.SUGGESTED for c in codings),
            form=form,
            error=error,
            counts=selectors.queue_counts(q),
            next_item=selectors.next_in_queue(q, after=pk),
        ),
        status=400 if (form.errors or error) else 200,
    )


def _review_url(answer_id: int) -> str:
    return reverse("analysis:review_answer", kwargs={"pk": answer_id}) + "#answer-heading"


def _after(q: Question, answer_id: int, finished: bool) -> HttpResponse:
    if not finished:
        return redirect(_review_url(answer_id))
    nxt = selectors.next_in_queue(q, after=answer_id)
    if nxt is None:
        return redirect("analysis:review", pk=q.pk)
    return redirect(_review_url(nxt.answer_id))


# Results -------------------------------------------------------------------------------


@permission_required("analysis.view_analysis")
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    q = _question(pk)
    return render(
        request,
        "analysis/staff/agreement.html",
        _context(q, rows=selectors.agreement_table(q)),
    )


@permission_required("analysis.view_analysis")
def groups(request: HttpRequest, pk: int) -> HttpResponse:
    q = _question(pk)

    return render(
        request,
        "analysis/staff/groups.html",
        _context(
            q,
            tables=selectors.themes_by_group(q),
            threshold=rules_selectors.small_number_threshold(),
        ),
    )


BULK_PAGE = 50


@permission_required("analysis.code_answers")
def bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Code many answers at once: find them (words they contain, a theme they have or
    lack), tick them, apply or remove a theme."""
    q = _question(pk)
    codeframe = selectors.codeframe_of(q)
    themes = list(Theme.objects.filter(codeframe=codeframe).order_by("name")) if codeframe else []
    by_id = {t.pk: t for t in themes}
    params = request.POST if request.method == "POST" else request.GET
    contains = params.get("contains", "")[:200]
    raw_filter = params.get("filter_theme", "")
    filter_theme = by_id.get(int(raw_filter)) if raw_filter.isdigit() else None
    without = params.get("without") == "1"
    query = {"contains": contains, "filter_theme": raw_filter if filter_theme else ""}
    if without:
        query["without"] = "1"
    here = reverse("analysis:bulk", args=[q.pk]) + "?" + urlencode(query)
    error = ""
    if request.method == "POST":
        raw_theme = request.POST.get("theme", "")
        theme = by_id.get(int(raw_theme)) if raw_theme.isdigit() else None
        chosen = [int(a) for a in request.POST.getlist("answer") if a.isdigit()]
        if theme is None:
            error = "Choose the theme to apply or remove."
        else:
            try:
                changed = services.codings_bulk(
                    question=q,
                    answer_ids=chosen,
                    theme=theme,
                    actor=request.user,
                    apply=request.POST.get("action") != "remove",
                )
            except services.AnalysisProblem as exc:
                error = str(exc)
            else:
                verb = "applied to" if request.POST.get("action") != "remove" else "removed from"
                messages.success(
                    request,
                    f"‘{theme.name}’ {verb} {changed} response{'s' if changed != 1 else ''}"
                    + (
                        f" ({len(set(chosen)) - changed} already had that decision)"
                        if changed < len(set(chosen))
                        else ""
                    )
                    + ".",
                )
                return redirect(here)
    matching = selectors.bulk_answers(q, contains=contains, theme=filter_theme, without=without)
    page = Paginator(matching, BULK_PAGE).get_page(params.get("page"))
    return render(
        request,
        "analysis/staff/bulk.html",
        _context(
            q,
            themes=themes,
            rows=selectors.bulk_rows(list(page.object_list), filter_theme),
            page=page,
            contains=contains,
            filter_theme=filter_theme,
            without=without,
            query=urlencode(query),
            error=error,
        ),
        status=400 if error else 200,
    )
