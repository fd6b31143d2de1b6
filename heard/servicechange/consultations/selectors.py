"""Reading formal consultations. Other apps (outcomes) read through these."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from heard.accounts import selectors as rules_selectors
from heard.engagement import domain as engagement_domain
from heard.engagement.models import Activity, Response, ResponseEquality
from heard.involvement.population import SEX_LABELS, PopulationError
from heard.involvement.selectors import (
    BUILT_IN_KEY,
    ReachChart,
    members_contactable,
    population_choices,
    population_get,
    small_number_threshold,
)
from heard.involvement.selectors import _reach_chart as reach_chart
from heard.people import equality
from heard.people.models import Consent, Group, Member
from heard.servicechange.assessment import selectors as assessment_selectors
from heard.servicechange.consultations import checkpoints, gunning, scrutiny
from heard.servicechange.consultations.models import (
    Consultation,
    DocumentSection,
    DocumentVersion,
    Mailout,
    MidpointReview,
    ScrutinyLetter,
    ScrutinyResponse,
    SignOff,
)
from heard.servicechange.proposals import domain as proposal_domain
from heard.servicechange.proposals.models import Proposal


def _base() -> Any:
    return Consultation.objects.select_related("proposal", "activity")


def consultation_for(proposal: Any) -> Consultation | None:
    """The proposal's formal consultation, or None."""
    return _base().select_related("short_period_justified_by").filter(proposal=proposal).first()


def consultation_by_slug(slug: str) -> Consultation | None:
    return _base().filter(slug=slug).first()


def responses_summary(consultation: Consultation) -> dict[str, Any]:
    """Counts of responses received: total, by channel and by respondent type.

    ``{"total": int, "by_channel": [(label, n)], "by_respondent_type": [(label, n)]}``;
    every choice is listed, with 0 where none came.
    """
    responses = Response.objects.filter(activity=consultation.activity)
    channels = dict(responses.values_list("channel").annotate(n=Count("pk")))
    types = dict(responses.values_list("respondent_type").annotate(n=Count("pk")))
    return {
        "total": sum(channels.values()),
        "by_channel": [
            (label, channels.get(value, 0)) for value, label in Response.Channel.choices
        ],
        "by_respondent_type": [
            (label, types.get(value, 0)) for value, label in Response.RespondentType.choices
        ],
    }


# --- the Gunning panel --------------------------------------------------------------------


def pre_election_periods() -> list[gunning.PreElectionPeriod]:
    """The periods in force (the rules page: ``accounts.selectors``)."""
    return _periods(rules_selectors.pre_election_periods())


def _periods(periods: Any) -> list[gunning.PreElectionPeriod]:
    return [gunning.PreElectionPeriod(p.name, p.starts_on, p.ends_on) for p in periods]


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(getattr(user, "full_name", "") or getattr(user, "email", ""))


def proposal_facts_for(proposal: Proposal) -> proposal_domain.ProposalFacts:
    """The proposal's facts as far as the consultation stage: its own, assessment's and
    the consultation's (the lifecycle adds the outcome's; the panel needs only these)."""
    return proposal_domain.compose(
        proposal.own_facts(),
        assessment_selectors.stage_facts(proposal),
        stage_facts(proposal),
    )


def stage_facts(proposal: Proposal) -> proposal_domain.ConsultationFacts:
    """What the lifecycle's guards need from the consultation stage. ``closed`` follows
    the activity's closing time to the second, like the public pages, even before the
    clock job has made it permanent."""
    consultation = Consultation.objects.filter(proposal=proposal).select_related("activity").first()
    now = timezone.now()
    opened = bool(
        consultation
        and engagement_domain.effective_status(consultation.activity.facts(), now)
        not in (engagement_domain.Status.DRAFT, engagement_domain.Status.SCHEDULED)
    )
    return proposal_domain.ConsultationFacts(
        exists=consultation is not None,
        opened=opened,
        closed=bool(consultation and consultation.is_closed_at(now)),
    )


def gunning_facts(
    consultation: Consultation,
    *,
    activity: Activity | None = None,
    now: datetime | None = None,
    opening_now: bool = False,
    proposal_facts: proposal_domain.ProposalFacts | None = None,
) -> gunning.GunningFacts:
    """What the checks read. ``activity``: the (locked) row being moved, if not the
    stored one; ``opening_now``: a person opening it now, so the period starts now at the
    latest; ``proposal_facts``: the proposal's facts if already read."""
    now = now or timezone.now()
    activity = activity or consultation.activity
    proposal = consultation.proposal
    facts = proposal_facts or proposal_facts_for(proposal)
    sections = {
        s.key: gunning.SectionState(
            published=bool(s.published_body.strip()),
            unpublished_changes=s.has_unpublished_changes,
        )
        for s in consultation.sections.all()
    }
    opens_at = activity.opens_at
    if opening_now and (opens_at is None or opens_at < now):
        opens_at = now
    closed = engagement_domain.effective_status(activity.facts(), now) in (
        engagement_domain.Status.CLOSED,
        engagement_domain.Status.FEEDBACK_PUBLISHED,
        engagement_domain.Status.ARCHIVED,
    )
    rules, periods = rules_selectors.rules_and_periods()
    told = scrutiny_state(consultation, responses=False)
    return gunning.GunningFacts(
        proposal_status=proposal_domain.Status(proposal.status),
        # Recorded with the move to "decided", in one transaction (the lifecycle).
        decision_recorded=facts.status in proposal_domain.DECIDED_OR_LATER,
        sections=sections,
        document_published=consultation.document_published_at is not None,
        opens_at=opens_at,
        closes_at=activity.closes_at,
        min_weeks=rules.consultation_min_weeks,
        justification=consultation.short_period_justification,
        justified_by=_person(consultation.short_period_justified_by),
        justified_on=gunning.local_date(consultation.short_period_justified_at)
        if consultation.short_period_justified_at
        else None,
        pre_election_periods=_periods(periods),
        stage2_required=facts.stage2_required,
        stage2_passed=facts.stage2_passed,
        closed=closed,
        councils=[c.name for c in told.councils],
        council_problems=scrutiny.council_problems(
            [scrutiny.CouncilFacts(c.name, c.committee, c.contact_email) for c in told.councils],
            consultation.joint_committee_name,
        ),
        first_letter_on=told.first_letter_on,
        unwritten_councils=[c.name for c in told.unwritten_councils]
        if told.first_letter_on
        else [],
        osc_comments_due_on=told.comments_due_on,
        proposed_decision_on=told.proposed_decision_on,
        eqia_attached=facts.eqia_attached,
        eqia_problems=tuple(facts.eqia_problems),
        appraisal_problems=tuple(assessment_selectors.appraisal_state(proposal).problems),
    )


@dataclass(frozen=True)
class ScrutinyState:
    """What the overview and scrutiny committee has been sent and has said (reg. 23).
    The dates are those the committee was last told (the latest letter), never a draft."""

    councils: list[Any]
    letters: list[ScrutinyLetter]
    responses: list[ScrutinyResponse]
    first_letter: ScrutinyLetter | None
    unwritten_councils: list[Any]

    @property
    def first_letter_on(self) -> Any:
        return gunning.local_date(self.first_letter.sent_at) if self.first_letter else None

    @property
    def latest(self) -> ScrutinyLetter | None:
        return self.letters[-1] if self.letters else None

    @property
    def comments_due_on(self) -> Any:
        return self.latest.comments_due_on if self.latest else None

    @property
    def proposed_decision_on(self) -> Any:
        return self.latest.proposed_decision_on if self.latest else None

    @property
    def renotifications(self) -> list[ScrutinyLetter]:
        return [x for x in self.letters if x.kind == ScrutinyLetter.Kind.RENOTIFICATION]


def scrutiny_state(consultation: Consultation, *, responses: bool = True) -> ScrutinyState:
    """``responses=False``: without the committee's responses (the Gunning panel does not
    read them: one query fewer)."""
    councils = list(consultation.councils.all())
    letters = list(
        consultation.scrutiny_letters.select_related("sent_by", "notice").order_by("sent_at", "pk")
    )
    firsts = [x for x in letters if x.kind == ScrutinyLetter.Kind.FIRST]
    written = {pk for x in firsts for pk in (x.councils or [])}
    return ScrutinyState(
        councils=councils,
        letters=letters,
        responses=list(
            consultation.scrutiny_responses.select_related("recorded_by").order_by(
                "received_on", "pk"
            )
        )
        if responses
        else [],
        first_letter=firsts[0] if firsts else None,
        unwritten_councils=[c for c in councils if c.pk not in written],
    )


def lifecycle_check(
    consultation: Consultation, proposal_facts: proposal_domain.ProposalFacts | None = None
) -> gunning.Check:
    """Whether the proposal itself may move to formal consultation when this opens
    (shown on the panel beside the Gunning checks; stage 2 is its own row)."""
    proposal = consultation.proposal
    status = proposal_domain.Status(proposal.status)
    principle = "Proposal ready"
    if status == proposal_domain.Status.FORMAL_CONSULTATION:
        return gunning.Check(
            "lifecycle",
            principle,
            gunning.Result.PASS,
            ("The proposal is in formal consultation.",),
        )
    order = proposal_domain.ORDER
    if (
        order.index(status) > order.index(proposal_domain.Status.FORMAL_CONSULTATION)
        and stage_facts(proposal).opened
    ):
        return gunning.Check(
            "lifecycle",
            principle,
            gunning.Result.PASS,
            (
                "The proposal moved to formal consultation when the consultation opened; it "
                f"is now at \u201c{proposal_domain.STATUS_LABELS[status]}\u201d.",
            ),
        )
    # Stage 2 is its own row; the opening is what this row is asked about.
    facts = replace(
        proposal_facts or proposal_facts_for(proposal),
        stage2_required=False,
        consultation_opened=True,
    )
    problems = proposal_domain.transition_problems(
        facts, proposal_domain.Status.FORMAL_CONSULTATION
    )
    if problems:
        return gunning.Check("lifecycle", principle, gunning.Result.FAIL, tuple(problems))
    return gunning.Check(
        "lifecycle",
        principle,
        gunning.Result.PASS,
        ("The proposal moves to formal consultation when the consultation opens.",),
    )


def gunning_panel(
    consultation: Consultation,
    *,
    activity: Activity | None = None,
    now: datetime | None = None,
    opening_now: bool = False,
    period: tuple[datetime | None, datetime | None, str] | None = None,
    checkpoint: checkpoints.CheckpointFacts | None = None,
) -> list[gunning.Check]:
    """Every check, plus whether the proposal may move. ``period``: (opens, closes,
    justification) not yet saved, to preview the checks while they are being edited."""
    proposal_facts = proposal_facts_for(consultation.proposal)
    facts = gunning_facts(
        consultation,
        activity=activity,
        now=now,
        opening_now=opening_now,
        proposal_facts=proposal_facts,
    )
    if period is not None:
        opens_at, closes_at, justification = period
        facts = replace(facts, opens_at=opens_at, closes_at=closes_at, justification=justification)
    return [
        *gunning.checks(facts),
        *checkpoints.checks(
            checkpoint or checkpoint_facts(consultation, activity=activity, now=now)
        ),
        lifecycle_check(consultation, proposal_facts),
    ]


def _sign_off_facts(record: SignOff | None) -> checkpoints.SignOffFacts | None:
    if record is None:
        return None
    return checkpoints.SignOffFacts(
        at=record.at,
        by=_person(record.by),
        note=record.note,
        version=record.version.number if record.version else None,
        drafted_by=tuple(record.drafted_by or ()),
    )


def checkpoint_facts(
    consultation: Consultation, *, activity: Activity | None = None, now: datetime | None = None
) -> checkpoints.CheckpointFacts:
    """The Consultation Institute's checkpoints: scope, documents, mid-point review."""
    now = now or timezone.now()
    activity = activity or consultation.activity
    status = engagement_domain.effective_status(activity.facts(), now)
    sign_offs = list(consultation.sign_offs.select_related("by", "version"))
    scope = next((s for s in sign_offs if s.kind == SignOff.Kind.SCOPE), None)
    documents = [s for s in sign_offs if s.kind == SignOff.Kind.DOCUMENTS]
    # The version people were to be consulted on: corrections after opening are
    # reasoned versions of their own, not a reason to review again.
    latest = (
        DocumentVersion.objects.filter(consultation=consultation, is_correction=False)
        .order_by("-number")
        .first()
    )
    return checkpoints.CheckpointFacts(
        scope=_sign_off_facts(scope),
        documents=_sign_off_facts(documents[-1] if documents else None),
        latest_version=latest.number if latest else None,
        latest_version_at=latest.published_at if latest else None,
        opened=status not in (engagement_domain.Status.DRAFT, engagement_domain.Status.SCHEDULED),
        closed=status
        in (
            engagement_domain.Status.CLOSED,
            engagement_domain.Status.FEEDBACK_PUBLISHED,
            engagement_domain.Status.ARCHIVED,
        ),
        midpoint_reviews=consultation.midpoint_reviews.count(),
    )


def publication_deadline(consultation: Consultation) -> checkpoints.PublicationDue | None:
    """12 weeks from the real close (None until it has closed). ``published_on`` is left
    empty here: the outcomes app knows whether the outcome was published."""
    if not consultation.is_closed or consultation.closes_at is None:
        return None
    return checkpoints.publication_due(
        consultation.closes_at, published_on=None, today=timezone.localdate()
    )


# --- telling people -------------------------------------------------------------------------


def stakeholder_groups_with_email() -> QuerySet[Group]:
    return Group.objects.filter(active=True).exclude(email="").order_by("-influence", "name")


def members_to_tell(consultation: Consultation) -> QuerySet[Member]:
    """Active members who agreed to be contacted by email, with an address, interested in
    one of the proposal's topics or living in one of its places."""
    proposal = consultation.proposal
    topics = list(proposal.topics.values_list("pk", flat=True))
    places = list(proposal.localities or [])
    interested = Q(interests__in=topics) | Q(locality__in=places)
    consented = Consent.objects.filter(
        purpose=Consent.Purpose.CONTACT, withdrawn_at__isnull=True
    ).values("member_id")
    return members_contactable().filter(interested, pk__in=consented).distinct().order_by("pk")


def mailouts(consultation: Consultation) -> list[Mailout]:
    return list(consultation.mailouts.all())


# --- mid-point review ---------------------------------------------------------------------


@dataclass
class Midpoint:
    responses: int
    charts: list[ReachChart]
    population_name: str
    threshold: int
    population_key: str = BUILT_IN_KEY
    populations: list[tuple[str, str]] = field(default_factory=list)

    @property
    def flagged_labels(self) -> list[str]:
        return [
            f"{chart.title}: {row.category}"
            for chart in self.charts
            for row in chart.rows
            if row.under_represented
        ]


def midpoint(consultation: Consultation, population_key: str = BUILT_IN_KEY) -> Midpoint:
    """Who has responded against the population: age band, sex, broad ethnic group.

    Equality answers only in aggregate; counts under HEARD_SMALL_NUMBER_THRESHOLD are
    suppressed (with one more cell when a single one is small), as on the reach page.
    """
    try:
        population = population_get(population_key)
    except PopulationError:
        population = population_get(BUILT_IN_KEY)
    responses = Response.objects.filter(activity=consultation.activity)
    total = responses.count()
    answers = ResponseEquality.objects.filter(activity=consultation.activity)
    age: dict[str, int] = {}
    for row in (
        answers.filter(age_band__in=list(population.age_map))
        .values("age_band")
        .annotate(n=Count("pk"))
    ):
        label = population.age_map[row["age_band"]]
        age[label] = age.get(label, 0) + row["n"]
    adults = {k: v for k, v in age.items() if k in (population.shares.get("age_band") or age)}
    sex = {
        SEX_LABELS[row["sex"]]: row["n"]
        for row in answers.filter(sex__in=list(SEX_LABELS)).values("sex").annotate(n=Count("pk"))
    }
    ethnic: dict[str, int] = {}
    for ethnic_row in (
        answers.exclude(ethnic_group="").values("ethnic_group").annotate(n=Count("pk"))
    ):
        broad = equality.ethnic_broad_group(ethnic_row["ethnic_group"])
        if broad:
            ethnic[broad] = ethnic.get(broad, 0) + ethnic_row["n"]
    charts = [
        reach_chart(
            "age_band",
            "Age band",
            adults,
            total - sum(adults.values()),
            population.shares.get("age_band"),
        ),
        reach_chart("sex", "Sex", sex, total - sum(sex.values()), population.shares.get("sex")),
        reach_chart(
            "ethnic_group",
            "Ethnic group (broad)",
            ethnic,
            total - sum(ethnic.values()),
            population.shares.get("ethnic_group"),
        ),
    ]
    return Midpoint(
        responses=total,
        charts=charts,
        population_name=population.name,
        threshold=small_number_threshold(),
        population_key=population_key,
        populations=population_choices(),
    )


def midpoint_reviews(consultation: Consultation) -> list[MidpointReview]:
    return list(consultation.midpoint_reviews.select_related("by"))


# --- public ---------------------------------------------------------------------------------


def published_sections(consultation: Consultation) -> list[DocumentSection]:
    order = list(gunning.SECTIONS)
    rows = [s for s in consultation.sections.all() if s.published_body.strip()]
    return sorted(rows, key=lambda s: order.index(s.key) if s.key in order else len(order))


@dataclass(frozen=True)
class PublishedDocument:
    """A published version of the document as the public reads it."""

    version: DocumentVersion | None
    sections: list[tuple[str, str, str]]  # key, heading, text
    corrections: list[DocumentVersion]  # every correction up to this version, oldest first
    versions: int


def published_document(
    consultation: Consultation, number: int | None = None
) -> PublishedDocument | None:
    """Version ``number`` of the document (the latest if None), from the stored version –
    never from the live draft. None if there is no such version."""
    versions = list(consultation.versions.order_by("number"))
    if not versions:
        if number is not None:
            return None
        rows = published_sections(consultation)
        return PublishedDocument(
            None, [(s.key, s.get_key_display(), s.published_body) for s in rows], [], 0
        )
    chosen = (
        versions[-1] if number is None else next((v for v in versions if v.number == number), None)
    )
    if chosen is None:
        return None
    # In the document's own order: PostgreSQL's jsonb keeps the keys sorted, not as saved.
    order = list(gunning.SECTIONS)
    return PublishedDocument(
        chosen,
        [
            (key, gunning.SECTIONS.get(key, key), text)
            for key, text in sorted(
                chosen.sections.items(),
                key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order),
            )
            if text.strip()
        ],
        [v for v in versions if v.is_correction and v.number <= chosen.number],
        len(versions),
    )


def public_consultation(slug: str) -> Consultation | None:
    """A consultation the public may see: its document is published and the proposal is
    not private."""
    consultation = consultation_by_slug(slug)
    if (
        consultation is None
        or consultation.document_published_at is None
        or consultation.proposal.is_private
    ):
        return None
    return consultation


def events(consultation: Consultation) -> list[Activity]:
    """Events for the consultation: engagement activities linked to the proposal (on the
    proposal's page) that are published and have an event time, soonest first."""
    from heard.servicechange.proposals import selectors as proposal_selectors

    found = [
        row.activity
        for row in proposal_selectors.linked_activities(consultation.proposal)
        if row.activity.pk != consultation.activity_id
        and row.activity.status != engagement_domain.Status.DRAFT
        and row.activity.event_starts_at is not None
    ]
    return sorted(found, key=lambda a: a.event_starts_at or timezone.now())


def public_consultations() -> QuerySet[Consultation]:
    """Every consultation the public may see (as ``public_consultation``), newest first."""
    return (
        _base()
        .filter(document_published_at__isnull=False, proposal__is_private=False)
        .order_by("-document_published_at", "-pk")
    )
