"""The public API: read-only, no key, what the public pages show and nothing more.

Every list and page goes through the selectors the public pages use (engagement's
``public_activities``/``public_activity``, consultations' ``public_consultation``,
outcomes' ``approved…`` – approved publications only, never a draft or a pending one –
and groups' ``public_group``), so nothing unapproved can leak by this door either.
Responses carry ``Cache-Control: public, max-age=300``.
"""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.params import functions as param

from heard.api import schemas as s
from heard.api.paging import only_known_parameters, page_of
from heard.engagement import selectors as engagement_selectors
from heard.groups import selectors as group_selectors
from heard.servicechange.consultations import selectors as consultation_selectors
from heard.servicechange.outcomes import selectors as outcome_selectors

CACHE_SECONDS = 300

router = Router(tags=["public"])
router.add_decorator(cache_control(public=True, max_age=CACHE_SECONDS), mode="view")

SlugPath = param.Path(..., min_length=1, max_length=220, pattern=s.SLUG)
INVALID: dict[int, Any] = {422: s.Invalid}
NOT_FOUND: dict[int, Any] = {404: s.Error, **INVALID}


def _url(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _documents(request: HttpRequest, activity: Any) -> list[dict[str, Any]]:
    return [
        {
            "title": d.title,
            "format": d.format,
            "language": d.language,
            "url": _url(request, d.file.url),
            "uploaded_at": d.uploaded_at,
        }
        for d in activity.documents.all()
    ]


def _activity(request: HttpRequest, activity: Any, now: Any) -> dict[str, Any]:
    return {
        "slug": activity.slug,
        "title": activity.title,
        "summary": activity.summary,
        "level": activity.level,
        "kind": activity.kind,
        "status": str(engagement_selectors.effective_status(activity, now)),
        "opens_at": activity.opens_at,
        "closes_at": activity.closes_at,
        "topics": sorted(t.slug for t in activity.topics.all()),
        "areas": sorted(loc.name for loc in activity.localities.all()),
        "url": _url(request, reverse("engagement_public:activity", args=[activity.slug])),
    }


def _dates(qs: QuerySet[Any], prefix: str, date_from: date | None, date_to: date | None) -> Any:
    """Activities (or what has one) whose time overlaps ``date_from``…``date_to``."""
    if date_from is not None:
        qs = qs.filter(
            Q(**{f"{prefix}closes_at__isnull": True})
            | Q(**{f"{prefix}closes_at__date__gte": date_from})
        )
    if date_to is not None:
        qs = qs.filter(
            Q(**{f"{prefix}opens_at__isnull": True})
            | Q(**{f"{prefix}opens_at__date__lte": date_to})
        )
    return qs


@router.get(
    "/activities",
    response={200: s.ActivityPage, **INVALID},
    summary="Activities: open, coming or closed",
)
def activities(request: HttpRequest, filters: Query[s.ActivityFilters]) -> dict[str, Any]:
    only_known_parameters(request, s.ActivityFilters)
    now = timezone.now()
    qs = engagement_selectors.public_activities(
        when=filters.when, now=now, topic=filters.topic, locality=filters.area, q=filters.q
    )
    qs = _dates(qs, "", filters.date_from, filters.date_to)
    return page_of(qs, filters, lambda a: _activity(request, a, now))


@router.get("/activities/{slug}", response={200: s.ActivityDetail, **NOT_FOUND})
def activity(request: HttpRequest, slug: str = SlugPath) -> dict[str, Any]:
    only_known_parameters(request)
    found = engagement_selectors.public_activity(slug)
    if found is None:
        raise HttpError(404, "No such activity.")
    now = timezone.now()
    feedback = outcome_selectors.approved_feedbacks(found)
    return {
        **_activity(request, found, now),
        "body": found.body,
        "event_starts_at": found.event_starts_at,
        "event_ends_at": found.event_ends_at,
        "venue": found.venue,
        "access_information": found.access_information,
        "documents": _documents(request, found),
        "you_said_we_did": [
            {"id": p.pk, "title": p.title, "approved_at": p.decided_at, "html": p.html}
            for p in feedback
        ],
    }


def _consultation(request: HttpRequest, c: Any, now: Any) -> dict[str, Any]:
    return {
        "slug": c.slug,
        "title": c.proposal.title,
        "summary": c.activity.summary,
        "status": str(engagement_selectors.effective_status(c.activity, now)),
        "opens_at": c.activity.opens_at,
        "closes_at": c.activity.closes_at,
        "document_published_at": c.document_published_at,
        "document_versions": c.versions.count(),
        "url": _url(request, reverse("consultations_public:detail", args=[c.slug])),
    }


@router.get(
    "/consultations", response={200: s.ConsultationPage, **INVALID}, summary="Formal consultations"
)
def consultations(request: HttpRequest, filters: Query[s.ConsultationFilters]) -> dict[str, Any]:
    only_known_parameters(request, s.ConsultationFilters)
    now = timezone.now()
    qs = consultation_selectors.public_consultations()
    if filters.topic:
        qs = qs.filter(activity__topics__slug=filters.topic)
    if filters.area:
        qs = qs.filter(activity__localities__name=filters.area)
    qs = _dates(qs, "activity__", filters.date_from, filters.date_to).distinct()
    return page_of(qs, filters, lambda c: _consultation(request, c, now))


@router.get(
    "/consultations/{slug}",
    response={200: s.ConsultationDetail, **NOT_FOUND},
    summary="A consultation with every published version of its document",
)
def consultation(request: HttpRequest, slug: str = SlugPath) -> dict[str, Any]:
    only_known_parameters(request)
    found = consultation_selectors.public_consultation(slug)
    if found is None:
        raise HttpError(404, "No such consultation.")
    versions = []
    for number in found.versions.order_by("number").values_list("number", flat=True):
        doc = consultation_selectors.published_document(found, number)
        if doc is None or doc.version is None:
            continue
        versions.append(
            {
                "number": doc.version.number,
                "published_at": doc.version.published_at,
                "is_correction": doc.version.is_correction,
                "reason": doc.version.reason if doc.version.is_correction else "",
                "content_hash": doc.version.content_hash,
                "sections": [{"key": k, "heading": h, "text": t} for k, h, t in doc.sections],
            }
        )
    if not versions:
        # Published before versions were kept: the published sections as they stand.
        doc = consultation_selectors.published_document(found)
        if doc is not None and doc.sections:
            versions.append(
                {
                    "number": 1,
                    "published_at": found.document_published_at,
                    "is_correction": False,
                    "reason": "",
                    "content_hash": "",
                    "sections": [{"key": k, "heading": h, "text": t} for k, h, t in doc.sections],
                }
            )
    activity = engagement_selectors.public_activity(found.activity.slug)
    return {
        **_consultation(request, found, timezone.now()),
        "documents": versions,
        "activity_documents": _documents(request, activity) if activity is not None else [],
    }


def _outcome(request: HttpRequest, p: Any) -> dict[str, Any]:
    if p.kind == "outcome":
        url = reverse("outcomes_public:version", args=[p.proposal.slug, p.pk])
    else:
        url = reverse("outcomes_public:activity_version", args=[p.activity.slug, p.pk])
    return {
        "id": p.pk,
        "kind": p.kind,
        "title": p.title,
        "approved_at": p.decided_at,
        "proposal": p.proposal.slug if p.proposal_id else None,
        "activity": p.activity.slug if p.activity_id else None,
        "url": _url(request, url),
    }


def _public_approved() -> QuerySet[Any]:
    """Approved publications of public subjects (an activity's only once it is published)."""
    return outcome_selectors.approved().exclude(kind="activity", activity__status="draft")


@router.get(
    "/outcomes",
    response={200: s.OutcomePage, **INVALID},
    summary='"You said, we did": the newest of each',
)
def outcomes(request: HttpRequest, filters: Query[s.OutcomeFilters]) -> dict[str, Any]:
    only_known_parameters(request, s.OutcomeFilters)
    allowed = set(_public_approved().values_list("pk", flat=True))
    items = [p for p in outcome_selectors.current_publications() if p.pk in allowed]
    if filters.kind:
        items = [p for p in items if p.kind == filters.kind]
    if filters.date_from is not None:
        items = [p for p in items if p.decided_at and p.decided_at.date() >= filters.date_from]
    if filters.date_to is not None:
        items = [p for p in items if p.decided_at and p.decided_at.date() <= filters.date_to]
    return page_of(items, filters, lambda p: _outcome(request, p))


@router.get(
    "/outcomes/{publication_id}",
    response={200: s.OutcomeDetail, **NOT_FOUND},
    summary='One approved "you said, we did" (any version)',
)
def outcome(
    request: HttpRequest, publication_id: int = param.Path(..., ge=1, le=s.MAX_ID)
) -> dict[str, Any]:
    only_known_parameters(request)
    found = _public_approved().filter(pk=publication_id).first()
    if found is None:
        raise HttpError(404, "No such publication.")
    if found.kind == "outcome":
        versions = outcome_selectors.approved_outcomes(found.proposal)
    else:
        versions = outcome_selectors.approved_feedbacks(found.activity)
    return {
        **_outcome(request, found),
        "html": found.html,
        "content": found.redacted if isinstance(found.redacted, dict) else {},
        "versions": [v.pk for v in versions],
    }


def _group(request: HttpRequest, sg: Any) -> dict[str, Any]:
    return {
        "slug": sg.slug,
        "name": sg.group.name,
        "summary": sg.public_summary,
        "meets": sg.meets,
        "url": _url(request, reverse("groups_public:group", args=[sg.slug])),
    }


def _meeting(meeting: Any, minutes: Any) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "minutes": minutes.text if minutes is not None else None,
        "minutes_version": minutes.version if minutes is not None else None,
    }


@router.get(
    "/groups", response={200: s.GroupPage, **INVALID}, summary="Standing groups with a public page"
)
def groups(request: HttpRequest, filters: Query[s.PageQuery]) -> dict[str, Any]:
    only_known_parameters(request, s.PageQuery)
    qs = group_selectors.public_groups().select_related("group").order_by("group__name", "pk")
    return page_of(qs, filters, lambda sg: _group(request, sg))


@router.get("/groups/{slug}", response={200: s.GroupDetail, **NOT_FOUND})
def group(request: HttpRequest, slug: str = SlugPath) -> dict[str, Any]:
    only_known_parameters(request)
    found = group_selectors.public_group(slug)
    if found is None:
        raise HttpError(404, "No such group.")
    tor = found.terms_of_reference
    return {
        **_group(request, found.standing),
        "terms_of_reference": tor.text if tor is not None else None,
        "terms_of_reference_agreed_on": tor.agreed_on if tor is not None else None,
        "chairs": found.chairs,
        "next_meeting": (
            _meeting(found.next_meeting, None) if found.next_meeting is not None else None
        ),
        "past_meetings": [_meeting(m.meeting, m.minutes) for m in found.past],
    }
