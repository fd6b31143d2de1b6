"""Demo activities across the spectrum and the year (called by `manage.py demo_load`)."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.engagement.models import Activity, ActivityLocality
from heard.people.models import Topic

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
        return {}
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
    return {"activities": created}


def _slug(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title)
