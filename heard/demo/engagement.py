"""Demo activities across the spectrum and the year (called by `manage.py demo_load`).

Built through the front doors staff and the public use, so the demo meets every rule it
shows:

* the activities with ``activity_save`` by the demo's engagement officer, and taken
  through their lifecycle with ``activity_transition`` – scheduled by the officer a week
  before opening, opened and closed by Heard's clock on time – each move made at the time
  the story has it (the service's ``now``); "you said, we did" written with
  ``activity_feedback_save`` and made public the only way it can be, sent for approval by
  the officer and approved by the administrator;
* the community nursing survey's questionnaire with the builder's services, as the
  builder pages build it;
* its ~3,000 responses: the online ones sent through ``response_submit`` (the public
  form's service, at the time each was sent), the paper, phone and event ones imported
  from a CSV file the way staff import them (``response_import_start`` /
  ``response_import_run``); the insight bank makes the online responses' insights the way
  its worker does (``insights_drain``).

What no service writes is written directly afterwards, and says why: the time feedback
was published and approved, and the time the questionnaire went live (the services
stamp "now"; the demo is loaded in one go, long after the story's dates). The audit
trail keeps the real recording times.
"""

import csv
import random
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from heard.accounts.models import User
from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.actors import CLOCK
from heard.demo.response_import import import_responses
from heard.engagement import questionnaire as questionnaire_rules
from heard.engagement import selectors_responses
from heard.engagement import services_questionnaires as builder
from heard.engagement.models import (
    Activity,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Section,
)
from heard.engagement.services import activity_feedback_save, activity_save, activity_transition
from heard.engagement.services_responses import response_submit
from heard.people import equality
from heard.people.models import Topic
from heard.servicechange.outcomes import services as outcomes
from heard.servicechange.outcomes.models import Publication

L, K, S = Activity.Level, Activity.Kind, Activity.Status

# (title, level, kind, status, opens (days from today), length (days), event?, localities, topic slugs, summary)
ACTIVITIES: list[tuple[str, str, str, str, int, int, bool, list[str], list[str], str]] = [
    (
        "Winter health newsletter",
        L.INFORM,
        K.INFORMATION,
        S.OPEN,
        -20,
        90,
        False,
        [],
        ["gp-and-primary-care"],
        "How to get the right care this winter: pharmacies, NHS 111 and your GP practice.",
    ),
    (
        "Community nursing: what matters to you?",
        L.CONSULT,
        K.SURVEY,
        S.OPEN,
        -30,
        60,
        False,
        ["Norwich", "Broadland", "South Norfolk"],
        ["community-services"],
        "Tell us about your experience of community nursing at home, so we can plan next year's services.",
    ),
    (
        "GP access survey 2026",
        L.CONSULT,
        K.SURVEY,
        S.FEEDBACK_PUBLISHED,
        -200,
        56,
        False,
        [],
        ["gp-and-primary-care"],
        "How easy is it to get an appointment with your GP practice?",
    ),
    (
        "Stroke rehabilitation reference group",
        L.INVOLVE,
        K.REFERENCE_GROUP,
        S.OPEN,
        -90,
        240,
        True,
        ["Great Yarmouth", "Waveney"],
        ["hospital-services"],
        "People with lived experience of stroke and their carers meet monthly to shape rehabilitation services.",
    ),
    (
        "Maternity services co-design workshop",
        L.COLLABORATE,
        K.CO_PRODUCTION,
        S.SCHEDULED,
        12,
        1,
        True,
        ["King's Lynn and West Norfolk"],
        ["maternity"],
        "Design with us how antenatal appointments could work closer to home.",
    ),
    (
        "Mental health crisis care focus group",
        L.INVOLVE,
        K.FOCUS_GROUP,
        S.CLOSED,
        -60,
        14,
        True,
        ["Norwich"],
        ["mental-health"],
        "A small group discussion about what helps, and what does not, in a mental health crisis.",
    ),
    (
        "Digital inclusion drop-in at the library",
        L.INVOLVE,
        K.DROP_IN,
        S.OPEN,
        -5,
        30,
        True,
        ["North Norfolk"],
        ["digital-services"],
        "Drop in to try the NHS App with help, and tell us what gets in the way.",
    ),
    (
        "Young people's health panel",
        L.EMPOWER,
        K.CO_PRODUCTION,
        S.OPEN,
        -45,
        180,
        True,
        [],
        ["children-and-young-people"],
        "Young people decide how to spend a small grant to improve health information for their age group.",
    ),
    (
        "Pharmacy services online discussion",
        L.CONSULT,
        K.ONLINE_DISCUSSION,
        S.SCHEDULED,
        30,
        28,
        False,
        [],
        ["pharmacy"],
        "Share your ideas on what community pharmacies could do for you.",
    ),
    (
        "Dental access listening event",
        L.CONSULT,
        K.DROP_IN,
        S.ARCHIVED,
        -400,
        1,
        True,
        ["Breckland"],
        ["dentistry"],
        "We listened to people in Breckland about finding an NHS dentist.",
    ),
    (
        "Cancer care experience survey",
        L.CONSULT,
        K.SURVEY,
        S.CLOSED,
        -120,
        42,
        False,
        [],
        ["cancer"],
        "Tell us about your experience of cancer care in Norfolk and Waveney.",
    ),
    (
        "Urgent care at the coast: early conversations",
        L.INVOLVE,
        K.WORKSHOP,
        S.DRAFT,
        60,
        1,
        True,
        ["Great Yarmouth"],
        ["urgent-and-emergency-care"],
        "Before we form any ideas, we want to hear how people on the coast use urgent care.",
    ),
]


OFFICER_EMAIL = "officer@demo.heard.example"  # made by demo_load before the parts load
ADMIN_EMAIL = "admin@demo.heard.example"

# "You said, we did" of the activities whose feedback is published (before archiving, for
# an activity that promised it), published a month after closing.
FEEDBACK = {
    "GP access survey 2026": (
        "You said appointments were hard to get in the morning; practices now release "
        "same-day appointments at 8am and online."
    ),
    "Dental access listening event": (
        "You told us how hard it is to find an NHS dentist in Breckland. We have paid for "
        "extra urgent dental sessions in Thetford and Dereham, and we publish each week "
        "which practices are taking on NHS patients."
    ),
}
FEEDBACK_AFTER = timedelta(days=30)


def _staff(email: str) -> User:
    """A demo staff member (made by demo_load first): the demo acts as the person whose
    job it is, and every service checks their permission."""
    return User.objects.get(email=email)


def load(out: Any = None) -> dict[str, int]:
    """Create the demo activities if missing; return what was created."""
    if Activity.objects.filter(slug=DEMO_SURVEY_SLUG).exists():
        return load_responses()
    officer, admin = _staff(OFFICER_EMAIL), _staff(ADMIN_EMAIL)
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    topics_by_slug = {t.slug: t for t in Topic.objects.all()}
    created = 0
    with transaction.atomic():
        for title, level, kind, status, start, length, event, places, topics, summary in ACTIVITIES:
            opens: datetime = today + timedelta(days=start)
            closes = opens + timedelta(days=length, hours=8)
            activity = activity_save(
                actor=officer,
                fields={
                    "title": title,
                    "summary": summary,
                    "level": level,
                    "kind": kind,
                    "body": summary
                    + (
                        # Heard hosts no discussions: the activity says where it happens.
                        "\n\nThe discussion takes place on the ICB's discussion board at "
                        "https://discuss.example.nhs.uk/pharmacy-services (you can also email "
                        "your ideas to us)."
                        if kind == K.ONLINE_DISCUSSION
                        else ""
                    )
                    + "\n\nEveryone is welcome. Tell us if you need anything to take part.",
                    "opens_at": opens,
                    "closes_at": closes,
                    "event_starts_at": opens + timedelta(days=1, hours=1) if event else None,
                    "event_ends_at": opens + timedelta(days=1, hours=3) if event else None,
                    "venue": "The Forum, Norwich" if event else "",
                    "access_information": "Step-free access, hearing loop, accessible toilets."
                    if event
                    else "",
                    "limbs": ["planning"] if level in (L.INFORM, L.CONSULT) else ["proposals"],
                    "principles": [2, 3] if level != L.INFORM else [6],
                },
                topics=[topics_by_slug[slug] for slug in topics if slug in topics_by_slug],
                localities=places,
            )
            if activity.slug == DEMO_SURVEY_SLUG:
                # Built and published before it was scheduled, as an officer would.
                _demo_questionnaire(activity, officer, published_at=opens - timedelta(days=8))
            _lifecycle(activity, status, opens, closes, officer, admin)
            created += 1
        audit_record(action=Action.DEMO_LOADED, after={"activities_created": created})
    return {"activities": created, **load_responses()}


def _lifecycle(
    activity: Activity,
    status: str,
    opens: datetime,
    closes: datetime,
    officer: User,
    admin: User,
) -> None:
    """Take a new (draft) activity to ``status`` as its story has it, each move through
    ``activity_transition`` at the time it happened, so each is checked against the rules
    as they stood then."""
    if status == S.DRAFT:
        return
    if status == S.SCHEDULED:
        activity_transition(activity=activity, target=S.SCHEDULED, actor=officer)
        return
    activity_transition(
        activity=activity, target=S.SCHEDULED, actor=officer, now=opens - timedelta(days=7)
    )
    activity_transition(activity=activity, target=S.OPEN, actor=CLOCK, now=opens)
    if status == S.OPEN:
        return
    activity_transition(activity=activity, target=S.CLOSED, actor=CLOCK, now=closes)
    if status == S.CLOSED:
        return
    _publish_feedback(activity, FEEDBACK[activity.title], closes + FEEDBACK_AFTER, officer, admin)
    if status == S.ARCHIVED:
        activity_transition(
            activity=activity,
            target=S.ARCHIVED,
            actor=officer,
            now=closes + FEEDBACK_AFTER + timedelta(days=60),
        )


def _publish_feedback(
    activity: Activity, text: str, when: datetime, officer: User, admin: User
) -> None:
    """ "You said, we did" written by the officer, sent for approval and approved by the
    administrator (approving it publishes it: the activity moves to feedback published)."""
    activity_feedback_save(actor=officer, activity=activity, feedback=text)
    item = outcomes.feedback_publication_submit(activity=activity, actor=officer)
    outcomes.publication_approve(publication=item, actor=admin)
    # The approval stamps "now" (no service takes another time for it): the story has the
    # feedback sent for approval and published a month after the activity closed.
    Activity.objects.filter(pk=activity.pk).update(feedback_published_at=when)
    Publication.objects.filter(pk=item.pk).update(
        submitted_at=when - timedelta(days=2), decided_at=when
    )


# --- Demo questionnaire and about 3,000 responses (questionnaires slice) -----------------

DEMO_SURVEY_SLUG = "community-nursing-what-matters-to-you"
DEMO_RESPONSES = 3000
# Real Friends and Family Test comments (NHS England, MIT licence: see the LICENSE file
# beside them) so that the free text reads like what patients really write.
DEMO_COMMENTS = Path(__file__).parent / "demo_data" / "patient_comments.csv"
DEMO_AREAS = ["Norwich", "Broadland", "South Norfolk", "Great Yarmouth", "Waveney"]
DEMO_POSTCODES = {
    "Norwich": ["NR1 3SR", "NR2 4TE", "NR3 1HT"],
    "Broadland": ["NR7 0DU", "NR13 5AB"],
    "South Norfolk": ["NR14 8UH", "NR18 0WF"],
    "Great Yarmouth": ["NR30 2PF", "NR31 6LA"],
    "Waveney": ["NR32 1BS", "NR33 0HT"],
}
QK = Question.Kind
SECTIONS = ["About your care", "Your experience", "What matters to you", "About you"]
EXPERIENCE_QUESTION = "Tell us about your experience of community nursing"
# (name used here, page, kind, text, other fields); the builder gives each question its key.
QUESTIONS: list[tuple[str, int, str, str, dict[str, Any]]] = [
    (
        "responding_as",
        0,
        QK.RESPONDENT_TYPE,
        "Are you responding as an individual or on behalf of an organisation?",
        {"required": True},
    ),
    (
        "used_service",
        0,
        QK.YES_NO,
        "Have you, or someone you care for, had care from a community nurse in the last year?",
        {"required": True},
    ),
    (
        "area",
        0,
        QK.SINGLE_CHOICE,
        "Where do you live?",
        {"options": [[slugify(a).replace("-", "_"), a] for a in DEMO_AREAS]},
    ),
    (
        "experience",
        1,
        QK.LONG_TEXT,
        EXPERIENCE_QUESTION,
        {
            "required": True,
            "max_length": 2000,
            "show_if_key": "used_service",
            "show_if_values": ["yes"],
            "hint": "What went well, and what could have been better? Do not include names.",
        },
    ),
    (
        "on_time",
        1,
        QK.LIKERT,
        "Nurses arrived at the time they said they would",
        {"show_if_key": "used_service", "show_if_values": ["yes"]},
    ),
    (
        "priorities",
        2,
        QK.RANKING,
        "What matters most to you about care at home?",
        {
            "options": [
                ["time", "Time to talk"],
                ["same_nurse", "Seeing the same nurse"],
                ["evenings", "Visits in the evening"],
                ["contact", "Knowing who to call"],
            ]
        },
    ),
    (
        "one_change",
        2,
        QK.LONG_TEXT,
        "If you could change one thing about community nursing, what would it be?",
        {"max_length": 1000},
    ),
    (
        "postcode",
        2,
        QK.POSTCODE,
        "What is your postcode?",
        {"hint": "Optional. It helps us see which areas we hear from."},
    ),
    ("about_you", 3, QK.EQUALITY, "About you", {}),
]


def _demo_questionnaire(
    activity: Activity, officer: User, *, published_at: datetime
) -> Questionnaire:
    """The survey's questionnaire, built with the builder's services as the builder pages
    build it: made with one page, its introduction written, the page renamed and three
    added, the questions added page by page (each condition checked against the question
    it depends on)."""
    q = builder.questionnaire_create(actor=officer, activity=activity, title=activity.title)
    q = builder.questionnaire_details_save(
        actor=officer,
        q=q,
        title=activity.title,
        introduction="It takes about 5 minutes. You can save your answers and come back later.",
    )
    first = Section.objects.get(version__questionnaire=q)
    pages = [builder.section_save(actor=officer, q=q, section_id=first.pk, title=SECTIONS[0])]
    pages += [
        builder.section_save(actor=officer, q=q, section_id=None, title=title)
        for title in SECTIONS[1:]
    ]
    keys: dict[str, str] = {}
    for name, page, kind, text, extra in QUESTIONS:
        fields: dict[str, Any] = {"kind": kind, "text": text, **extra}
        if "show_if_key" in fields:
            fields["show_if_key"] = keys[fields["show_if_key"]]
        question = builder.question_save(
            actor=officer, q=q, question_id=None, section_id=pages[page].pk, fields=fields
        )
        keys[name] = question.key
    # Version 1 is live as it is made (it takes changes until it has responses, then a
    # change makes a draft to publish). It is stamped "now": the story has it made before
    # the survey was scheduled.
    QuestionnaireVersion.objects.filter(questionnaire=q, number=1).update(published_at=published_at)
    return q


def _demo_comments() -> list[tuple[str, int]]:
    with DEMO_COMMENTS.open(encoding="utf-8", newline="") as fh:
        return [(row["comment"], int(row["criticality"] or 0)) for row in csv.DictReader(fh)]


LIKERT = ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]
OFFLINE_FILE = "Community nursing survey - paper, phone and event responses.csv"


def load_responses(count: int = DEMO_RESPONSES) -> dict[str, int]:
    """About 3,000 responses to the community nursing survey, spread over the time it has
    been open, through the ways responses really arrive: online ones through the public
    form's service, each at the time it was sent; paper, phone and event ones in one file
    imported by the officer, as staff import what they typed up.

    Idempotent (nothing happens if the survey already has responses).
    """
    activity = Activity.objects.filter(slug=DEMO_SURVEY_SLUG).first()
    if activity is None or Response.objects.filter(activity=activity).exists():
        return {}
    q = selectors_responses.questionnaire_for_activity(activity)
    version = selectors_responses.respondable_version(q) if q is not None else None
    if version is None:
        return {}
    officer = _staff(OFFICER_EMAIL)
    view = selectors_responses.version_view(version)
    by_text = {question.text: question for question in view.questions}
    keys = {name: by_text[text].key for name, _, _, text, _ in QUESTIONS}
    rng = random.Random(2026)  # noqa: S311 - fictional demo data, reproducible
    comments = _demo_comments()
    rng.shuffle(comments)
    now = timezone.now()
    start = activity.opens_at or now - timedelta(days=30)
    span = max(60.0, (min(now, activity.closes_at or now) - start).total_seconds())
    offline: list[tuple[str, datetime, bool, dict[str, Any]]] = []
    online = 0
    with transaction.atomic():
        for i in range(count):
            organisation = rng.random() < 0.04
            channel = rng.choices(["online", "paper", "event", "phone"], weights=[85, 8, 4, 3])[0]
            sent = start + timedelta(seconds=rng.random() * span)
            consent = rng.random() < 0.6
            raw = _answers(rng, i, comments, organisation)
            if channel == "online":
                response_submit(
                    version=version,
                    raw={_key(keys, name): value for name, value in raw.items()},
                    token=uuid.uuid4(),
                    publish_consent=consent,
                    now=sent,
                    view=view,
                )
                online += 1
            else:
                offline.append((channel, sent, consent, raw))
        _drain_insights()
        imported = _import_offline(activity, version, view, offline, officer)
    return {"responses": online + imported}


def _key(keys: dict[str, str], name: str) -> str:
    """The form's field name for one of the demo's answers (``name`` as in QUESTIONS, or
    ``eq_…`` for the equality questions, or ``responding_as__org``)."""
    if name.endswith("__org"):
        return questionnaire_rules.organisation_key(keys[name.removesuffix("__org")])
    return keys.get(name, name)


def _answers(
    rng: random.Random, i: int, comments: list[tuple[str, int]], organisation: bool
) -> dict[str, Any]:
    """One respondent's answers, as the form sends them (by the names in QUESTIONS)."""
    raw: dict[str, Any] = {"responding_as": "organisation" if organisation else "individual"}
    if organisation:
        raw["responding_as__org"] = rng.choice(DEMO_ORGANISATIONS)
    used = rng.random() < 0.9
    raw["used_service"] = "yes" if used else "no"
    area = rng.choice(DEMO_AREAS)
    raw["area"] = slugify(area).replace("-", "_")
    text, criticality = comments[i % len(comments)]
    if used:
        raw["experience"] = text
        mood = max(0, min(4, 2 + (criticality + rng.choice([-1, 0, 0, 1])) // 2))
        raw["on_time"] = LIKERT[mood]
    order = ["time", "same_nurse", "evenings", "contact"]
    rng.shuffle(order)
    raw["priorities"] = [f"{n}:{v}" for n, v in enumerate(order[: rng.choice([2, 3, 4])], 1)]
    if rng.random() < 0.3:
        raw["one_change"] = comments[(i * 7 + 13) % len(comments)][0]
    if rng.random() < 0.5:
        raw["postcode"] = rng.choice(DEMO_POSTCODES[area])
    if not organisation and rng.random() < 0.6:
        for key, (_, options) in equality.QUESTIONS.items():
            if rng.random() < 0.85:
                raw[f"eq_{key}"] = rng.choice(options)[0]
    return raw


def _drain_insights() -> None:
    """The online path leaves each response's insights owed (ADR 11) to the task worker,
    which drains the queue in batches: done here the way the worker does it, so the demo
    has its insights without a worker running."""
    from heard.insight.receivers import insights_drain

    while insights_drain(limit=500):
        pass


def _import_offline(
    activity: Activity,
    version: QuestionnaireVersion,
    view: selectors_responses.VersionView,
    rows: list[tuple[str, datetime, bool, dict[str, Any]]],
    officer: User,
) -> int:
    """The paper, phone and event responses, typed up into one spreadsheet (a column per
    question, named as the question; options as their values; a ranking best first) and
    imported by the officer: uploaded, its columns matched the way the import page
    suggests, and run the way its background task runs it, synchronously."""
    if not rows:
        return 0
    columns: list[tuple[str, str]] = [
        ("Form number", ""),
        ("Date received", ""),
        ("Channel", ""),
        ("Consent", ""),
    ]
    for name, _, kind, text, _ in QUESTIONS:
        if kind == QK.EQUALITY:
            columns += [
                (f"About you: {label[:60]}", f"eq_{key}")
                for key, (label, _) in equality.QUESTIONS.items()
            ]
            continue
        columns.append((text[:90], name))
        if kind == QK.RESPONDENT_TYPE:
            columns.append(("Organisation name", f"{name}__org"))
    # Received on the day (at noon, as the import records a date): never later than now.
    latest = timezone.localdate() - timedelta(days=1)
    lines = [[title for title, _ in columns]]
    for number, (channel, sent, consent, raw) in enumerate(rows, 1):
        received = min(timezone.localdate(sent), latest)
        cells = [f"PAPER-{number:04d}", received.isoformat(), channel, "yes" if consent else "no"]
        for _, name in columns[4:]:
            value = raw.get(name, "")
            if name == "priorities" and value:
                value = "; ".join(item.partition(":")[2] for item in value)
            cells.append(str(value))
        lines.append(cells)
    return import_responses(
        activity=activity,
        version=version,
        view=view,
        lines=lines,
        filename=OFFLINE_FILE,
        officer=officer,
    )


DEMO_ORGANISATIONS = [
    "Age UK Norfolk",
    "Carers Matter Norfolk",
    "Healthwatch Norfolk",
    "Norwich Older People's Forum",
    "Waveney Parkinson's Support Group",
]
