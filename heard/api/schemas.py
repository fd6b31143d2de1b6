"""What the API sends and accepts. Every string filter refuses control characters (a NUL
would reach the database) and is bounded, so bad input is a 422, never a server error."""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

# Text from a query string: no control characters, bounded.
SAFE_TEXT = r"^[^\x00-\x1f\x7f]*$"
SLUG = r"^[-a-zA-Z0-9_]+$"
MAX_ID = 2**53  # ids beyond this are not ids (and overflow SQLite's integers)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: object) -> object:
    """Only YYYY-MM-DD (pydantic would otherwise read "0" as 1 January 1970)."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("Enter a date as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Text = Annotated[str, Field(max_length=200, pattern=SAFE_TEXT)]
Slug = Annotated[str, Field(min_length=1, max_length=220, pattern=SLUG)]


class Error(Schema):
    detail: str


class Invalid(Schema):
    """422: what was wrong with the request, one entry per problem."""

    detail: list[dict[str, object]]


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=10_000, description="Page number, from 1")
    page_size: int = Field(20, ge=1, le=100, description="Items per page (at most 100)")


class Page(Schema):
    count: int = Field(description="How many items match, on every page")
    page: int
    page_size: int


# --- public ---------------------------------------------------------------------------------


class ActivityFilters(PageQuery):
    when: Literal["open", "forthcoming", "closed"] = Field(
        "open", description="Open now, coming soon, or closed (from the dates, as the site shows)"
    )
    topic: Annotated[str, Field(max_length=120, pattern=r"^[-a-zA-Z0-9_]*$")] = Field(
        "", description="A topic's slug"
    )
    area: Text = Field("", description="A locality, like 'Norwich'")
    q: Text = Field("", description="Words in the title, summary or text")
    date_from: IsoDate | None = Field(None, description="Only activities still open on or after")
    date_to: IsoDate | None = Field(None, description="Only activities opening on or before")


class Document(Schema):
    title: str
    format: str
    language: str
    url: str
    uploaded_at: datetime


class Activity(Schema):
    slug: str
    title: str
    summary: str
    level: str
    kind: str
    status: str = Field(description="open, scheduled (forthcoming), closed, feedback_published…")
    opens_at: datetime | None
    closes_at: datetime | None
    topics: list[str]
    areas: list[str]
    url: str


class ActivityPage(Page):
    items: list[Activity]


class FeedbackVersion(Schema):
    id: int
    title: str
    approved_at: datetime | None
    html: str


class ActivityDetail(Activity):
    body: str
    event_starts_at: datetime | None
    event_ends_at: datetime | None
    venue: str
    access_information: str
    documents: list[Document]
    you_said_we_did: list[FeedbackVersion] = Field(
        description="Approved 'you said, we did' for this activity, newest first"
    )


class ConsultationFilters(PageQuery):
    topic: Annotated[str, Field(max_length=120, pattern=r"^[-a-zA-Z0-9_]*$")] = ""
    area: Text = ""
    date_from: IsoDate | None = Field(None, description="Only consultations closing on or after")
    date_to: IsoDate | None = Field(None, description="Only consultations opening on or before")


class Consultation(Schema):
    slug: str
    title: str
    summary: str
    status: str
    opens_at: datetime | None
    closes_at: datetime | None
    document_published_at: datetime | None
    document_versions: int
    url: str


class ConsultationPage(Page):
    items: list[Consultation]


class Section(Schema):
    key: str
    heading: str
    text: str


class DocumentVersion(Schema):
    number: int
    published_at: datetime | None
    is_correction: bool
    reason: str
    content_hash: str
    sections: list[Section]


class ConsultationDetail(Consultation):
    documents: list[DocumentVersion] = Field(description="Every published version, oldest first")
    activity_documents: list[Document]


class OutcomeFilters(PageQuery):
    kind: Literal["", "outcome", "activity"] = Field(
        "", description="A consultation's outcome or an activity's feedback (both if empty)"
    )
    date_from: IsoDate | None = Field(None, description="Approved on or after")
    date_to: IsoDate | None = Field(None, description="Approved on or before")


class Outcome(Schema):
    id: int
    kind: str
    title: str
    approved_at: datetime | None
    proposal: str | None = Field(description="The proposal's slug, for an outcome")
    activity: str | None = Field(description="The activity's slug, for activity feedback")
    url: str


class OutcomePage(Page):
    items: list[Outcome]


class OutcomeDetail(Outcome):
    html: str = Field(description="What the public page shows, as approved")
    content: dict[str, object] = Field(description="The approved (redacted) content")
    versions: list[int] = Field(description="Ids of every approved version, newest first")


class Meeting(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    minutes: str | None = Field(description="The approved, published minutes, if any")
    minutes_version: int | None


class Group(Schema):
    slug: str
    name: str
    summary: str
    meets: str
    url: str


class GroupPage(Page):
    items: list[Group]


class GroupDetail(Group):
    terms_of_reference: str | None
    terms_of_reference_agreed_on: date | None
    chairs: list[str]
    next_meeting: Meeting | None
    past_meetings: list[Meeting]


# --- staff ------------------------------------------------------------------------------------


class Me(Schema):
    name: str
    role: str
    token: str
    expires_at: datetime


class StaffActivityFilters(PageQuery):
    status: Literal[
        "", "draft", "scheduled", "open", "closed", "feedback_published", "archived"
    ] = ""


class StaffActivity(Schema):
    id: int
    slug: str
    title: str
    status: str
    level: str
    kind: str
    opens_at: datetime | None
    closes_at: datetime | None


class StaffActivityPage(Page):
    items: list[StaffActivity]


class ResponseFilters(PageQuery):
    unredacted: bool = Field(
        False,
        description="Answers as written, with names and numbers (only roles allowed to see them)",
    )


class AnswerOut(Schema):
    question: str
    answer: str


class ResponseOut(Schema):
    reference: str
    channel: str
    submitted_at: datetime
    questionnaire_version: int
    respondent_type: str
    organisation_name: str
    late: bool
    answers: list[AnswerOut]


class ResponsePage(Page):
    redacted: bool
    items: list[ResponseOut]


class InsightFilters(PageQuery):
    q: Text = ""
    topic: Annotated[str, Field(max_length=120, pattern=r"^[-a-zA-Z0-9_]*$")] = ""
    area: Text = ""
    source: Annotated[str, Field(max_length=16, pattern=r"^[a-z_]*$")] = ""
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None


class InsightOut(Schema):
    id: int
    text: str = Field(description="Redacted: personal data replaced by placeholders")
    source: str
    channel: str
    occurred_on: date
    locality: str
    topics: list[str]
    themes: list[str]
    sentiment: str
    activity: str | None


class InsightPage(Page):
    items: list[InsightOut]


class CodingFilters(PageQuery):
    status: Literal["", "suggested", "accepted", "rejected"] = ""


class CodingOut(Schema):
    id: int
    answer_id: int
    response: str
    question: str
    question_key: str
    theme_id: int
    theme: str
    source: str
    status: str
    confidence: float | None
    at: datetime


class CodingPage(Page):
    items: list[CodingOut]


class CountOut(Schema):
    category: str
    count: int | None = Field(description="None when hidden (small or to protect another)")
    label: str = Field(description="'fewer than 10', 'suppressed' or the number")


class ChartOut(Schema):
    key: str
    title: str
    rows: list[CountOut]
    answered: CountOut
    not_answered: CountOut


class PeopleCounts(Schema):
    members: int = Field(description="Active members")
    threshold: int = Field(description="Counts below this are not shown")
    charts: list[ChartOut]
