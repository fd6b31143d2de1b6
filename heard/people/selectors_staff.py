"""Reading people and groups for the staff area. No equality data is read here."""

import re
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.core.validators import validate_email
from django.db.models import Count, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Lower

from heard.audit.models import AuditEvent
from heard.audit.selectors import EventFilter, audit_events
from heard.people.models import (
    Consent,
    Group,
    GroupMembership,
    ImportBatch,
    Member,
)
from heard.people.postcodes import InvalidPostcode, normalise_postcode


@dataclass(frozen=True)
class DirectoryFilter:
    q: str = ""
    district: str = ""
    locality: str = ""
    interest: int | None = None
    group: int | None = None
    status: str = ""


def _is_email(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def _search(qs: QuerySet[Member], q: str) -> QuerySet[Member]:
    """Search by name, email or postcode.

    Text with an "@" matches the start of the email address (a whole address matches
    exactly); a full postcode matches exactly; a single word matches any part of the name
    or the start of the email address; several words match any part of the name.
    """
    q = " ".join(q.split())
    if not q:
        return qs
    if "@" in q:
        if _is_email(q):  # a whole address: the lower(email) index answers at once
            return (
                qs.annotate(email_lower=Lower("email"))
                .exclude(email="")
                .filter(email_lower=q.lower())
            )
        return qs.filter(email__istartswith=q)
    try:
        postcode = normalise_postcode(q)
    except InvalidPostcode:
        pass
    else:
        return qs.filter(postcode=postcode)
    # icontains/istartswith, not lower(): SQLite's LIKE folds case itself, PostgreSQL
    # compares upper() of both sides; either way one scan, no function index to walk.
    if " " in q:
        return qs.filter(full_name__icontains=q)
    # One word may be the start of an email address too ("mpegg", "peter.go").
    return qs.filter(Q(full_name__icontains=q) | Q(email__istartswith=q))


def directory_members(f: DirectoryFilter) -> QuerySet[Member]:
    """Members matching the filter, by name. Erased members are left out unless asked for."""
    qs = Member.objects.all()
    qs = qs.filter(status=f.status) if f.status else qs.exclude(status=Member.Status.ERASED)
    qs = _search(qs, f.q)
    if f.district:
        qs = qs.filter(postcode_district=f.district.strip().upper())
    if f.locality:
        qs = qs.filter(locality=f.locality)
    if f.interest:
        qs = qs.filter(interests__id=f.interest)
    if f.group:
        qs = qs.filter(group_memberships__group_id=f.group, group_memberships__until__isnull=True)
    # Browsing walks the lower(full_name) index in order; a text search scans once and
    # sorts only the matches (walking the index would look up every row to test it).
    order = ("full_name", "id") if f.q.strip() else (Lower("full_name"), "id")
    return qs.order_by(*order).only(
        "id",
        "full_name",
        "email",
        "postcode_district",
        "locality",
        "status",
        "source",
        "joined_at",
    )


def directory_page(f: DirectoryFilter, page_number: str | int | None, per_page: int) -> Page:
    """One page of the directory with the total number of matches.

    Browsing walks the name index. A text search has to test every row, so the page and
    the total come from the same scan (a window count) rather than a count and a query.
    """
    members = directory_members(f)
    paginator = Paginator(members, per_page)
    if not f.q.strip():
        return paginator.get_page(page_number)
    try:
        number = max(1, int(page_number or 1))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(members.annotate(total_matches=Window(Count("pk")))[start : start + per_page])
    if not rows and number > 1:
        return paginator.get_page(page_number)  # past the end: counts, shows the last page
    # Paginator.count is a cached property: give it the total we already have.
    paginator.__dict__["count"] = rows[0].total_matches if rows else 0
    return Page(rows, number, paginator)


def member_for_staff(pk: int) -> Member:
    return (
        Member.objects.prefetch_related(
            "interests",
            Prefetch("consents", queryset=Consent.objects.order_by("-given_at")),
            Prefetch(
                "group_memberships",
                queryset=GroupMembership.objects.select_related("group").order_by(
                    "until", "group__name"
                ),
            ),
        )
        .select_related("user")
        .get(pk=pk)
    )


def member_audit_events(member: Member, limit: int = 50) -> list[AuditEvent]:
    return list(
        audit_events(EventFilter(subject_type="people.member", subject_id=str(member.pk)))[:limit]
    )


def groups_list(kind: str = "", q: str = "") -> QuerySet[Group]:
    qs = Group.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__until__isnull=True))
    )
    if kind:
        qs = qs.filter(kind=kind)
    if q.strip():
        qs = qs.filter(name__icontains=q.strip())
    return qs.order_by("name")


def group_current_memberships(group: Group) -> QuerySet[GroupMembership]:
    return (
        group.memberships.filter(until__isnull=True)
        .select_related("member")
        .order_by("role", Lower("member__full_name"))
    )


def group_past_memberships(group: Group) -> QuerySet[GroupMembership]:
    return group.memberships.filter(until__isnull=False).select_related("member").order_by("-until")


def member_candidates(group: Group, q: str, limit: int = 20) -> list[Member]:
    """People matching ``q`` who are not currently in ``group``."""
    if len(q.strip()) < 2:
        return []
    current = group.memberships.filter(until__isnull=True).values("member_id")
    qs = _search(Member.objects.exclude(status=Member.Status.ERASED), q).exclude(pk__in=current)
    return list(qs.order_by(Lower("full_name"), "id")[:limit])


def stakeholder_groups() -> list[Group]:
    """Active groups for the stakeholder map, most influential first."""
    return list(Group.objects.filter(active=True).order_by("-influence", "-interest", "name"))


def import_batches(limit: int = 20) -> list[ImportBatch]:
    return list(ImportBatch.objects.select_related("group", "created_by")[:limit])


def import_earlier_same_file(batch: ImportBatch) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(file_sha256=batch.file_sha256, status=ImportBatch.Status.DONE)
        .exclude(pk=batch.pk)
        .order_by("-created_at")
        .first()
    )


def import_rejection_summary(batch: ImportBatch, limit: int = 8) -> list[tuple[str, int]]:
    """How many rejected rows had each problem, most common first (a row may have several)."""
    counts: Counter[str] = Counter()
    for reason in batch.rejected.values_list("reason", flat=True).iterator(chunk_size=5000):
        for problem in reason.rstrip(".").split("; "):
            counts[re.sub(r"as row \d+ of", "as an earlier row of", problem)] += 1
    return counts.most_common(limit)
