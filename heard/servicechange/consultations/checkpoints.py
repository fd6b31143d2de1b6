"""The Consultation Institute's checkpoints, as rows of the consultation's panel. No Django.

Before a formal consultation opens its **scope is agreed** (what is open to change and what
is not, who must be reached) and its **documents are reviewed** – the latest published
version, after it was published, by someone other than whoever drafted or published it.
While it runs a **mid-point review** looks at who has responded and who is missing; it is
required of a formal consultation (the outcome report is not issued without one). After
it closes, the outcome is published within **12 weeks of the close** (the real close:
an early close counts from when it closed).

Missing sign-offs are ``FAIL`` rows, so the Gunning guard refuses to open or schedule the
consultation without them, whoever asks.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from heard.servicechange.consultations.gunning import Check, Result, format_date, local_date

PUBLISH_WITHIN = timedelta(weeks=12)


@dataclass(frozen=True)
class SignOffFacts:
    at: datetime
    by: str
    note: str
    version: int | None = None  # documents: the version reviewed
    drafted_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckpointFacts:
    scope: SignOffFacts | None
    documents: SignOffFacts | None  # the latest documents review
    latest_version: int | None  # the latest version published before opening
    latest_version_at: datetime | None
    opened: bool
    closed: bool
    midpoint_reviews: int


def check_scope(facts: CheckpointFacts) -> Check:
    principle = "Scope agreed"
    if facts.scope is None:
        return Check(
            "scope",
            principle,
            Result.FAIL,
            (
                "Agree the scope of the consultation – what is open to change and what is "
                "not, who must be reached – and record who agreed it, before it opens.",
            ),
        )
    s = facts.scope
    return Check(
        "scope",
        principle,
        Result.PASS,
        (f"Agreed by {s.by or 'a member of staff'} on {format_date(local_date(s.at))}: {s.note}",),
    )


def check_documents(facts: CheckpointFacts) -> Check:
    principle = "Documents reviewed"
    d = facts.documents
    if facts.latest_version is None:
        return Check(
            "documents",
            principle,
            Result.FAIL,
            ("Publish the consultation document, then have it reviewed before it opens.",),
        )
    if d is None:
        return Check(
            "documents",
            principle,
            Result.FAIL,
            (
                f"Version {facts.latest_version} of the consultation document has not been "
                "reviewed: someone who did not draft it reviews it before it opens.",
            ),
        )
    if d.version != facts.latest_version:
        return Check(
            "documents",
            principle,
            Result.FAIL,
            (
                f"Version {d.version} was reviewed on {format_date(local_date(d.at))}, but "
                f"version {facts.latest_version} has been published since: review it.",
            ),
        )
    drafted = f" (drafted by {', '.join(d.drafted_by)})" if d.drafted_by else ""
    return Check(
        "documents",
        principle,
        Result.PASS,
        (
            f"Version {d.version}{drafted} reviewed by {d.by or 'a member of staff'} on "
            f"{format_date(local_date(d.at))}: {d.note}",
        ),
    )


def check_midpoint(facts: CheckpointFacts) -> Check:
    principle = "Mid-point review"
    if facts.midpoint_reviews:
        n = facts.midpoint_reviews
        return Check(
            "midpoint",
            principle,
            Result.PASS,
            (f"{n} mid-point review{'s' if n != 1 else ''} recorded.",),
        )
    if not facts.opened:
        return Check(
            "midpoint",
            principle,
            Result.INFO,
            ("Required while the consultation runs: who has responded and who is missing.",),
        )
    if not facts.closed:
        return Check(
            "midpoint",
            principle,
            Result.WARNING,
            ("Not recorded yet: record it while the consultation runs.",),
        )
    return Check(
        "midpoint",
        principle,
        Result.FAIL,
        (
            "No mid-point review was recorded while the consultation ran: the outcome "
            "report cannot be issued without one.",
        ),
    )


def checks(facts: CheckpointFacts) -> list[Check]:
    return [check_scope(facts), check_documents(facts), check_midpoint(facts)]


def documents_review_problems(
    *,
    latest_version: int | None,
    latest_version_at: datetime | None,
    already_reviewed: bool,
    reviewer: str,
    reviewer_drafted: bool,
    now: datetime,
) -> list[str]:
    """Why the documents cannot be signed off as reviewed by ``reviewer`` now."""
    if latest_version is None or latest_version_at is None:
        return ["Publish the consultation document before it is reviewed."]
    if already_reviewed:
        return [f"Version {latest_version} has already been reviewed."]
    if now < latest_version_at:
        return ["The review must come after the version it reviews was published."]
    if reviewer_drafted:
        return [
            "The documents are reviewed by someone who did not draft or publish this "
            f"version: {reviewer} did."
        ]
    return []


@dataclass(frozen=True)
class PublicationDue:
    closed_on: date
    due_on: date
    published_on: date | None
    today: date

    @property
    def met(self) -> bool | None:
        """Whether it was published in time (None: not published yet)."""
        if self.published_on is None:
            return None
        return self.published_on <= self.due_on

    @property
    def overdue(self) -> bool:
        return self.published_on is None and self.today > self.due_on

    @property
    def summary(self) -> str:
        due = format_date(self.due_on)
        closed = format_date(self.closed_on)
        if self.published_on is not None:
            on = format_date(self.published_on)
            if self.met:
                return f"Outcome published on {on}, within 12 weeks of the close ({closed}; due by {due})."
            return f"Outcome published on {on}, after the 12 weeks from the close ({closed}; due by {due})."
        if self.overdue:
            return f"Overdue: the outcome should have been published by {due} (12 weeks from the close on {closed})."
        return f"The outcome should be published by {due} (12 weeks from the close on {closed})."


def publication_due(
    closes_at: datetime, *, published_on: date | None, today: date
) -> PublicationDue:
    """The date the outcome should be published by: 12 weeks from the real close."""
    closed_on = local_date(closes_at)
    return PublicationDue(
        closed_on=closed_on,
        due_on=closed_on + PUBLISH_WITHIN,
        published_on=published_on,
        today=today,
    )
