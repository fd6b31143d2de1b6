"""The staff API: a personal token (``Authorization: Bearer heard_…``) acting with its
holder's role. Each endpoint asks the permission the staff pages ask; a refusal is 403
and an audit event. Nothing here is cached by anyone (``Cache-Control: no-store``)."""

from typing import Any

from django.http import HttpRequest
from django.views.decorators.cache import never_cache
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.params import functions as param

from heard.accounts import selectors as rules_selectors
from heard.analysis import selectors as analysis_selectors
from heard.api import schemas as s
from heard.api.auth import TokenAuth, require
from heard.api.paging import only_known_parameters, page_of
from heard.core.roles import role_of
from heard.engagement import selectors as engagement_selectors
from heard.engagement import selectors_responses
from heard.insight import selectors as insight_selectors
from heard.involvement import selectors as involvement_selectors

router = Router(tags=["staff"], auth=TokenAuth())
router.add_decorator(never_cache, mode="view")

REFUSALS: dict[int, Any] = {401: s.Error, 403: s.Error, 422: s.Invalid, 429: s.Error}
NOT_FOUND: dict[int, Any] = {404: s.Error}
ActivityId = param.Path(..., ge=1, le=s.MAX_ID)


@router.get("/me", response={200: s.Me, **REFUSALS}, summary="Whose token this is")
def me(request: HttpRequest) -> dict[str, Any]:
    only_known_parameters(request)
    token = request.auth  # type: ignore[attr-defined]
    return {
        "name": token.user.full_name or token.user.email,
        "role": role_of(token.user),
        "token": token.name,
        "expires_at": token.expires_at,
    }


@router.get("/activities", response={200: s.StaffActivityPage, **REFUSALS})
def activities(request: HttpRequest, filters: Query[s.StaffActivityFilters]) -> dict[str, Any]:
    only_known_parameters(request, s.StaffActivityFilters)
    require(request, "engagement.view_activities")
    qs = engagement_selectors.staff_activities(status=filters.status).order_by("-updated_at", "pk")
    return page_of(
        qs,
        filters,
        lambda a: {
            "id": a.pk,
            "slug": a.slug,
            "title": a.title,
            "status": a.status,
            "level": a.level,
            "kind": a.kind,
            "opens_at": a.opens_at,
            "closes_at": a.closes_at,
        },
    )


def _activity_or_404(activity_id: int) -> Any:
    found = engagement_selectors.staff_activities().filter(pk=activity_id).first()
    if found is None:
        raise HttpError(404, "No such activity.")
    return found


@router.get(
    "/activities/{activity_id}/responses",
    response={200: s.ResponsePage, **REFUSALS, **NOT_FOUND},
    summary="Responses to an activity (redacted unless asked and allowed)",
)
def responses(
    request: HttpRequest, filters: Query[s.ResponseFilters], activity_id: int = ActivityId
) -> dict[str, Any]:
    only_known_parameters(request, s.ResponseFilters)
    # What people said, even redacted: the roles that read the insight bank.
    require(request, "insight.view_insight")
    if filters.unredacted:
        require(request, "engagement.view_responses_unredacted")
    activity = _activity_or_404(activity_id)
    qs = selectors_responses.activity_responses(activity)
    redacted = not filters.unredacted
    return page_of(
        qs,
        filters,
        lambda r: {
            "reference": r.reference,
            "channel": r.channel,
            "submitted_at": r.submitted_at,
            "questionnaire_version": r.version.number,
            "respondent_type": r.respondent_type,
            "organisation_name": r.organisation_name,
            "late": r.late,
            "answers": [
                {"question": q, "answer": a}
                for q, a in selectors_responses.response_answers(r, redacted=redacted)
            ],
        },
        redacted=redacted,
    )


@router.get("/insights", response={200: s.InsightPage, **REFUSALS}, summary="The insight bank")
def insights(request: HttpRequest, filters: Query[s.InsightFilters]) -> dict[str, Any]:
    only_known_parameters(request, s.InsightFilters)
    require(request, "insight.view_insight")
    found = insight_selectors.insight_search(
        insight_selectors.InsightFilter(
            q=filters.q,
            date_from=filters.date_from,
            date_to=filters.date_to,
            topic=filters.topic,
            locality=filters.area,
            source=filters.source,
            order="newest",
        ),
        page=filters.page,
        per_page=filters.page_size,
    )
    return {
        "count": found.total,
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [
            {
                "id": i.pk,
                "text": i.redacted_text,
                "source": i.source,
                "channel": i.channel,
                "occurred_on": i.occurred_on,
                "locality": i.locality,
                "topics": sorted(t.slug for t in i.topics.all()),
                "themes": [str(t) for t in (i.themes or [])],
                "sentiment": i.sentiment,
                "activity": i.activity.slug if i.activity is not None else None,
            }
            for i in found.items
        ],
    }


@router.get(
    "/activities/{activity_id}/codings",
    response={200: s.CodingPage, **REFUSALS, **NOT_FOUND},
    summary="Analysis codings of an activity's answers",
)
def codings(
    request: HttpRequest, filters: Query[s.CodingFilters], activity_id: int = ActivityId
) -> dict[str, Any]:
    only_known_parameters(request, s.CodingFilters)
    require(request, "analysis.view_analysis")
    activity = _activity_or_404(activity_id)
    qs = analysis_selectors.codings_of_activity(activity.pk)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return page_of(
        qs,
        filters,
        lambda c: {
            "id": c.pk,
            "answer_id": c.answer_id,
            "response": c.answer.response.reference,
            "question": c.answer.question.text,
            "question_key": c.answer.question.key,
            "theme_id": c.theme_id,
            "theme": c.theme.name,
            "source": c.source,
            "status": c.status,
            "confidence": c.confidence,
            "at": c.at,
        },
    )


def _count(category: str, figure: Any) -> dict[str, Any]:
    return {"category": category, "count": figure.shown, "label": figure.label}


@router.get(
    "/people/counts",
    response={200: s.PeopleCounts, **REFUSALS},
    summary="Members by locality, age band, sex and ethnic group (small numbers suppressed)",
)
def people_counts(request: HttpRequest) -> dict[str, Any]:
    only_known_parameters(request)
    # Aggregates only, as the reach dashboard shows them: never anyone's equality answers.
    require(request, "involvement.view_reach")
    population = involvement_selectors.population_get(involvement_selectors.BUILT_IN_KEY)
    charts = involvement_selectors.reach_charts(population)
    members = (charts[0].known + charts[0].unknown) if charts else 0
    return {
        "members": members,
        "threshold": rules_selectors.small_number_threshold(),
        "charts": [
            {
                "key": chart.key,
                "title": chart.title,
                "rows": [_count(row.category, row.figure) for row in chart.rows if row.figure],
                "answered": _count("answered", chart.known_figure),
                "not_answered": _count("not answered", chart.unknown_figure),
            }
            for chart in charts
        ],
    }
