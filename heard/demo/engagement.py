"""Demo activities across the spectrum and the year (called by `manage.py demo_load`)."""

import csv
import random
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.engagement.models import Activity, ActivityLocality
from heard.people.models import Topic

if TYPE_CHECKING:
    from heard.engagement.models import Questionnaire

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


def load(out: Any = None) -> dict[str, int]:
    """Create the demo activities if missing; return what was created."""
    if Activity.objects.filter(slug="community-nursing-what-matters-to-you").exists():
        return load_responses()
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    created = 0
    with transaction.atomic():
        for title, level, kind, status, start, length, event, places, topics, summary in ACTIVITIES:
            opens: datetime = today + timedelta(days=start)
            closes = opens + timedelta(days=length, hours=8)
            activity = Activity.objects.create(
                title=title,
                slug=_slug(title),
                summary=summary,
                level=level,
                kind=kind,
                status=status,
                body=summary
                + (
                    # Heard hosts no discussions: the activity says where it happens.
                    "\n\nThe discussion takes place on the ICB's discussion board at "
                    "https://discuss.example.nhs.uk/pharmacy-services (you can also email "
                    "your ideas to us)."
                    if kind == K.ONLINE_DISCUSSION
                    else ""
                )
                + "\n\nEveryone is welcome. Tell us if you need anything to take part.",
                opens_at=opens,
                closes_at=closes,
                event_starts_at=opens + timedelta(days=1, hours=1) if event else None,
                event_ends_at=opens + timedelta(days=1, hours=3) if event else None,
                venue="The Forum, Norwich" if event else "",
                access_information="Step-free access, hearing loop, accessible toilets."
                if event
                else "",
                limbs=["planning"] if level in (L.INFORM, L.CONSULT) else ["proposals"],
                principles=[2, 3] if level != L.INFORM else [6],
                feedback=(
                    "You said appointments were hard to get in the morning; practices now release "
                    "same-day appointments at 8am and online."
                )
                if status == S.FEEDBACK_PUBLISHED
                else "",
                feedback_published_at=closes + timedelta(days=30)
                if status == S.FEEDBACK_PUBLISHED
                else None,
            )
            activity.topics.set(Topic.objects.filter(slug__in=topics))
            for place in places:
                ActivityLocality.objects.create(activity=activity, name=place)
            created += 1
        audit_record(action=Action.DEMO_LOADED, after={"activities_created": created})
    return {"activities": created, **load_responses()}


def _slug(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title)


# --- Demo questionnaire and about 3,000 responses (questionnaires slice) -----------------

DEMO_SURVEY_SLUG = "community-nursing-what-matters-to-you"
DEMO_RESPONSES = 3000
# Real Friends and Family Test comments (NHS England, MIT licence: see the LICENSE file
# beside them) so that the free text reads like what patients really write.
DEMO_COMMENTS = Path(__file__).parent / "demo_data" / "patient_comments.csv"


def _demo_questionnaire(activity: Activity) -> "Questionnaire":
    from heard.engagement.models import Question, Questionnaire, QuestionnaireVersion, Section

    K = Question.Kind
    q = Questionnaire.objects.create(
        activity=activity,
        title=activity.title,
        introduction="It takes about 5 minutes. You can save your answers and come back later.",
    )
    v = QuestionnaireVersion.objects.create(questionnaire=q, number=1)
    p1 = Section.objects.create(version=v, position=1, title="About your care")
    p2 = Section.objects.create(version=v, position=2, title="Your experience")
    p3 = Section.objects.create(version=v, position=3, title="What matters to you")
    p4 = Section.objects.create(version=v, position=4, title="About you")
    areas = [[slugify(a).replace("-", "_"), a] for a in DEMO_AREAS]
    specs: list[tuple[Section, str, str, str, dict[str, Any]]] = [
        (
            p1,
            "responding_as",
            K.RESPONDENT_TYPE,
            "Are you responding as an individual or on behalf of an organisation?",
            {"required": True},
        ),
        (
            p1,
            "used_service",
            K.YES_NO,
            "Have you, or someone you care for, had care from a community nurse in the last year?",
            {"required": True},
        ),
        (p1, "area", K.SINGLE_CHOICE, "Where do you live?", {"options": areas}),
        (
            p2,
            "experience",
            K.LONG_TEXT,
            "Tell us about your experience of community nursing",
            {
                "required": True,
                "max_length": 2000,
                "show_if_key": "used_service",
                "show_if_values": ["yes"],
                "hint": "What went well, and what could have been better? Do not include names.",
            },
        ),
        (
            p2,
            "on_time",
            K.LIKERT,
            "Nurses arrived at the time they said they would",
            {"show_if_key": "used_service", "show_if_values": ["yes"]},
        ),
        (
            p3,
            "priorities",
            K.RANKING,
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
            p3,
            "one_change",
            K.LONG_TEXT,
            "If you could change one thing about community nursing, what would it be?",
            {"max_length": 1000},
        ),
        (
            p3,
            "postcode",
            K.POSTCODE,
            "What is your postcode?",
            {"hint": "Optional. It helps us see which areas we hear from."},
        ),
        (p4, "about_you", K.EQUALITY, "About you", {}),
    ]
    for position, (section, key, kind, text, extra) in enumerate(specs, 1):
        Question.objects.create(
            version=v, section=section, key=key, position=position, kind=kind, text=text, **extra
        )
    return q


DEMO_AREAS = ["Norwich", "Broadland", "South Norfolk", "Great Yarmouth", "Waveney"]
DEMO_POSTCODES = {
    "Norwich": ["NR1 3SR", "NR2 4TE", "NR3 1HT"],
    "Broadland": ["NR7 0DU", "NR13 5AB"],
    "South Norfolk": ["NR14 8UH", "NR18 0WF"],
    "Great Yarmouth": ["NR30 2PF", "NR31 6LA"],
    "Waveney": ["NR32 1BS", "NR33 0HT"],
}


def _demo_comments() -> list[tuple[str, int]]:
    with DEMO_COMMENTS.open(encoding="utf-8", newline="") as fh:
        return [(row["comment"], int(row["criticality"] or 0)) for row in csv.DictReader(fh)]


def load_responses(count: int = DEMO_RESPONSES) -> dict[str, int]:
    """About 3,000 responses to the community nursing survey, bulk-created for speed.

    Idempotent (nothing happens if the survey already has responses). The hook for apps
    above engagement is called once with all of them (``hooks.responses_bulk_created``).
    """
    from heard.engagement import hooks
    from heard.engagement.models import Answer, Response, ResponseEquality
    from heard.engagement.services_responses import reference_new
    from heard.people import equality

    activity = Activity.objects.filter(slug=DEMO_SURVEY_SLUG).first()
    if activity is None or Response.objects.filter(activity=activity).exists():
        return {}
    rng = random.Random(2026)  # noqa: S311 - fictional demo data, reproducible
    comments = _demo_comments()
    rng.shuffle(comments)
    now = timezone.now()
    start = activity.opens_at or now - timedelta(days=30)
    span = max(60.0, (min(now, activity.closes_at or now) - start).total_seconds())
    with transaction.atomic():
        from heard.engagement.models import Question

        q = _demo_questionnaire(activity)
        version = q.versions.get()
        questions = {qn.key: qn for qn in Question.objects.filter(version=version)}
        references: set[str] = set()
        responses: list[Response] = []
        plans: list[dict[str, Any]] = []
        for i in range(count):
            ref = reference_new()
            while ref in references:
                ref = reference_new()
            references.add(ref)
            organisation = rng.random() < 0.04
            channel = rng.choices(["online", "paper", "event", "phone"], weights=[85, 8, 4, 3])[0]
            responses.append(
                Response(
                    activity=activity,
                    questionnaire=q,
                    version=version,
                    channel=channel,
                    submitted_at=start + timedelta(seconds=rng.random() * span),
                    respondent_type="organisation" if organisation else "individual",
                    organisation_name=rng.choice(DEMO_ORGANISATIONS) if organisation else "",
                    reference=ref,
                    publish_consent=rng.random() < 0.6,
                    submission_token=uuid.uuid4() if channel == "online" else None,
                )
            )
            text, criticality = comments[i % len(comments)]
            area = rng.choice(DEMO_AREAS)
            plans.append(
                {
                    "organisation": organisation,
                    "used": rng.random() < 0.9,
                    "area": area,
                    "text": text,
                    "criticality": criticality,
                    "change": comments[(i * 7 + 13) % len(comments)][0]
                    if rng.random() < 0.3
                    else "",
                    "postcode": rng.choice(DEMO_POSTCODES[area]) if rng.random() < 0.5 else "",
                }
            )
        Response.objects.bulk_create(responses, batch_size=500)
        answers: list[Answer] = []
        equalities: list[ResponseEquality] = []
        likert = ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]
        for response, plan in zip(responses, plans, strict=True):

            def add(
                key: str, text: str = "", value: Any = None, response: Response = response
            ) -> None:
                answers.append(
                    Answer(response=response, question=questions[key], text=text, value=value)
                )

            add("responding_as", response.organisation_name, response.respondent_type)
            add("used_service", value="yes" if plan["used"] else "no")
            add("area", value=slugify(plan["area"]).replace("-", "_"))
            if plan["used"]:
                add("experience", text=plan["text"])
                mood = max(0, min(4, 2 + (plan["criticality"] + rng.choice([-1, 0, 0, 1])) // 2))
                add("on_time", value=likert[mood])
            order = ["time", "same_nurse", "evenings", "contact"]
            rng.shuffle(order)
            add("priorities", value=order[: rng.choice([2, 3, 4])])
            if plan["change"]:
                add("one_change", text=plan["change"])
            if plan["postcode"]:
                add("postcode", value=plan["postcode"])
            if not plan["organisation"] and rng.random() < 0.6:
                fields = {
                    key: rng.choice(options)[0]
                    for key, (_, options) in equality.QUESTIONS.items()
                    if rng.random() < 0.85
                }
                equalities.append(ResponseEquality(response=response, activity=activity, **fields))
        Answer.objects.bulk_create(answers, batch_size=1000)
        ResponseEquality.objects.bulk_create(equalities, batch_size=1000)
        audit_record(
            action=Action.RESPONSES_DEMO_LOADED,
            subject=q,
            after={"responses": len(responses), "answers": len(answers)},
        )
        hooks.responses_bulk_created(responses)
    return {"responses": len(responses)}


DEMO_ORGANISATIONS = [
    "Age UK Norfolk",
    "Carers Matter Norfolk",
    "Healthwatch Norfolk",
    "Norwich Older People's Forum",
    "Waveney Parkinson's Support Group",
]
