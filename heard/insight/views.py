"""Staff pages for the insight bank: search, saved searches, imports, what we know,
coverage. Thin: forms check input, selectors read, services write."""

import csv
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from heard.core.permissions import permission_required
from heard.insight import charts, selectors, services
from heard.insight.forms import ImportForm, SaveSearchForm, SearchForm
from heard.insight.models import InsightImport
from heard.insight.query import snippet
from heard.people.models import Topic
from heard.people.postcodes import LOCALITIES, OUTSIDE_AREA

SEARCH_FIELDS = ("q", "date_from", "date_to", "topic", "locality", "source", "theme", "order")
# The NHS date input sends each date as day, month and year boxes.
DATE_PARTS = tuple(f"{d}_{p}" for d in ("date_from", "date_to") for p in ("day", "month", "year"))


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


@permission_required("insight.view_insight")
def search(request: HttpRequest) -> HttpResponse:
    fields = SEARCH_FIELDS + DATE_PARTS
    params = {k: request.GET.get(k, "").strip() for k in fields if request.GET.get(k, "").strip()}
    form = SearchForm(params or None, themes=selectors.theme_names())
    page = None
    results: list[tuple[object, str]] = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        # One ISO date per filter in the links, pagination and saved searches.
        params = {k: v for k, v in params.items() if k not in DATE_PARTS}
        for name in ("date_from", "date_to"):
            params.pop(name, None)
            if data[name]:
                params[name] = data[name].isoformat()
        f = selectors.InsightFilter(
            q=data["q"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            topic=data["topic"],
            locality=data["locality"],
            source=data["source"],
            theme=data["theme"],
            order=data["order"] or "relevance",
        )
        page = selectors.insight_search(f, page=_page_number(request))
        words = page.query.words
        # snippet() escapes every piece of the text itself; only <mark> is added.
        results = [(i, mark_safe(snippet(i.redacted_text, words))) for i in page.items]
    elif not form.is_bound:
        page = selectors.insight_search(selectors.InsightFilter(), page=_page_number(request))
        results = [(i, mark_safe(snippet(i.redacted_text, []))) for i in page.items]
    return render(
        request,
        "insight/staff/search.html",
        {
            "form": form,
            "page": page,
            "results": results,
            "query": urlencode(params),
            "params": params,
            "save_form": SaveSearchForm(),
            "saved": selectors.saved_searches(request.user),
        },
    )


@permission_required("insight.view_insight")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    insight = selectors.insight_detail(pk)
    if insight is None:
        raise Http404
    return render(request, "insight/staff/detail.html", {"insight": insight})


@permission_required("insight.delete_insight")
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    insight = selectors.insight_detail(pk)
    if insight is None:
        messages.info(request, "That insight has already been deleted.")
        return redirect("insight:search")
    if request.method == "POST":
        services.insight_delete(insight=insight, actor=request.user)
        messages.success(request, f"Insight {pk} has been deleted and removed from search.")
        return redirect("insight:search")
    return render(request, "insight/staff/delete.html", {"insight": insight})


@require_POST
@permission_required("insight.view_insight")
def saved_create(request: HttpRequest) -> HttpResponse:
    params = {k: request.POST.get(k, "") for k in SEARCH_FIELDS if request.POST.get(k)}
    form = SaveSearchForm(request.POST)
    back = f"{request.path.rsplit('saved/', 1)[0]}?{urlencode(params)}"
    if not form.is_valid():
        messages.error(request, str(form.errors["name"][0]))
        return redirect(back)
    try:
        services.saved_search_create(
            owner=request.user, name=form.cleaned_data["name"], params=params
        )
    except services.SavedSearchProblem as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, f"Search saved as “{form.cleaned_data['name'].strip()}”.")
    return redirect(back)


@require_POST
@permission_required("insight.view_insight")
def saved_delete(request: HttpRequest) -> HttpResponse:
    try:
        pk = int(request.POST.get("saved", ""))
    except ValueError:
        pk = 0
    if services.saved_search_delete(owner=request.user, saved_search_id=pk):
        messages.success(request, "The saved search has been deleted.")
    else:
        messages.error(request, "That saved search no longer exists; nothing was deleted.")
    return redirect("insight:search")


@permission_required("insight.import_insight")
def imports(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.insight_import_upload(
                filename=upload.name,
                data=upload.read(),
                default_source=form.cleaned_data["default_source"],
                actor=request.user,
            )
        except services.ImportProblem as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("insight:import_detail", pk=batch.pk)
    return render(
        request,
        "insight/staff/imports.html",
        {"form": form, "batches": selectors.import_batches()},
        status=400 if form.errors else 200,
    )


def _status_context(batch: InsightImport) -> dict[str, object]:
    running = batch.status == InsightImport.Status.RUNNING
    removing = batch.status == InsightImport.Status.DELETING
    percent = int(100 * batch.processed_rows / batch.total_rows) if batch.total_rows else 0
    beat = batch.heartbeat_at or batch.created_at
    return {
        "batch": batch,
        "running": running or removing,
        "removing": removing,
        "percent": percent,
        "stalled": timezone.now() - beat > timedelta(minutes=2),
        "can_remove": batch.status
        in (InsightImport.Status.DONE, InsightImport.Status.FAILED, InsightImport.Status.CANCELLED),
    }


@require_POST
@permission_required("insight.import_insight")
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(InsightImport, pk=pk)
    try:
        services.insight_import_cancel(batch=batch, actor=request.user)
    except services.ImportProblem as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The import has been stopped. What it stored so far is kept.")
    return redirect("insight:import_detail", pk=pk)


@require_POST
@permission_required("insight.import_insight")
def import_delete(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(InsightImport, pk=pk)
    try:
        services.insight_import_delete(batch=batch, actor=request.user)
    except services.ImportProblem as exc:
        messages.error(request, str(exc))
    return redirect("insight:import_detail", pk=pk)


@permission_required("insight.import_insight")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(InsightImport, pk=pk)
    return render(request, "insight/staff/import_detail.html", _status_context(batch))


@permission_required("insight.import_insight")
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(InsightImport, pk=pk)
    return render(request, "insight/staff/_import_status.html", _status_context(batch))


@permission_required("insight.import_insight")
def import_rejected(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(InsightImport, pk=pk)
    rows = services.rejected_rows_download(batch=batch, actor=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-rows-{batch.pk}.csv"'
    response.write("\ufeff")
    csv.writer(response).writerows(rows)
    return response


@permission_required("insight.view_insight")
def know_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "insight/staff/know_index.html",
        {
            "topics": selectors.topics_with_insight(),
            "localities": [*LOCALITIES, OUTSIDE_AREA],
        },
    )


def _know(request: HttpRequest, *, title: str, topic: Topic | None, locality: str) -> HttpResponse:
    knowledge = selectors.know(topic=topic, locality=locality)
    chart = charts.column_chart(
        title=f"Insights about {title} per month, last 24 months", rows=knowledge.months
    )
    search_params = {"topic": topic.slug} if topic else {"locality": locality}
    return render(
        request,
        "insight/staff/know.html",
        {
            "title": title,
            "k": knowledge,
            "chart": chart,
            "search_query": urlencode(search_params),
            "quotes": [
                (q, mark_safe(snippet(q.redacted_text, [], size=600))) for q in knowledge.quotes
            ],
        },
    )


@permission_required("insight.view_insight")
def know_topic(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    return _know(request, title=topic.name, topic=topic, locality="")


@permission_required("insight.view_insight")
def know_place(request: HttpRequest, locality: str) -> HttpResponse:
    if locality not in (*LOCALITIES, OUTSIDE_AREA):
        raise Http404
    return _know(request, title=locality, topic=None, locality=locality)


@permission_required("insight.view_coverage")
def coverage(request: HttpRequest) -> HttpResponse:
    error = ""
    months: int | None = None
    raw = request.GET.get("months", "")
    if raw:
        try:
            months = int(raw)
            if not 1 <= months <= 60:
                raise ValueError
        except ValueError:
            error = "Enter a number of months from 1 to 60, for example 6."
            months = None
    data = selectors.coverage(gap_months=months)
    chart = charts.column_chart(
        title="Activities started per quarter (financial years)", rows=data.per_quarter
    )
    return render(
        request,
        "insight/staff/coverage.html",
        {"c": data, "chart": chart, "months_error": error, "months_value": raw},
        status=400 if error else 200,
    )
