"""Demo insights from three other sources: PALS, Friends and Family Test, Healthwatch.

Called by ``manage.py demo_load`` after the engagement demo; idempotent (the three demo
imports are recognised by their file fingerprints).

* FFT: 300 real comments sampled from ``../shared/data/nhs-patient-feedback`` (beside the repository) – the
  pxtextmining development set, copyright NHS England, MIT licence (see the LICENSE file
  beside the data; the notice is kept with it). Their human-coded theme is kept as the
  insight's theme. Places and dates are made up. If the file is missing, made-up FFT
  comments are used instead.
* PALS and Healthwatch: 300 made-up comments each, built from templates, some with
  fictional names and phone numbers to show redaction at work.
"""

import csv
import hashlib
import random
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.insight.models import Channel, InsightImport, Source
from heard.insight.services import InsightDraft, insights_create
from heard.people.models import Topic
from heard.people.postcodes import LOCALITIES

SEED = 20260406
PER_SOURCE = 300
# The workplace's development data sits beside the repository (../shared); without it the
# demo falls back to made-up comments.
FFT_FILE = Path(
    getattr(
        settings,
        "HEARD_DEMO_FFT_FILE",
        Path(settings.BASE_DIR).parent
        / "shared"
        / "data"
        / "nhs-patient-feedback"
        / "text_data.csv",
    )
)

# Words in a comment -> topic slug (first match wins per topic; several topics allowed).
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "gp-and-primary-care": ("gp", "surgery", "practice", "receptionist", "doctor"),
    "pharmacy": ("pharmacy", "pharmacist", "prescription", "medication"),
    "maternity": ("midwife", "midwives", "maternity", "baby", "birth"),
    "mental-health": ("mental health", "anxiety", "depression", "counselling", "crisis"),
    "dentistry": ("dentist", "dental"),
    "urgent-and-emergency-care": ("a&e", "a and e", "emergency", "111", "ambulance"),
    "hospital-services": ("hospital", "ward", "clinic", "consultant", "theatre", "discharge"),
    "transport-and-access": ("parking", "bus", "transport", "travel", "car park"),
    "community-services": ("district nurse", "community nurse", "home visit"),
    "digital-services": ("online", "app", "website", "email"),
}

PALS_SERVICES = [
    ("Norfolk and Norwich University Hospital", "hospital"),
    ("James Paget University Hospital", "hospital"),
    ("Queen Elizabeth Hospital King's Lynn", "hospital"),
    ("Cromer Hospital", "hospital"),
    ("the GP practice", "GP practice"),
    ("NHS 111", "NHS 111"),
    ("the community nursing team", "community nursing"),
    ("the mental health crisis team", "mental health team"),
    ("the pharmacy", "pharmacy"),
    ("the ambulance service", "ambulance service"),
]
PALS_OPENINGS = [
    "I am writing on behalf of my mother about {service}.",
    "I rang PALS because of a problem with {service}.",
    "My husband was treated at {service} last month.",
    "I want to raise a concern about {service}.",
    "This is about my son's care at {service}.",
    "Please pass this on to {service}.",
]
PALS_ISSUES = [
    "The appointment letter arrived after the appointment date, so we missed it.",
    "We waited over six hours in A&E with nobody telling us what was happening.",
    "Nobody called back even though we were promised a call within two days.",
    "The discharge was rushed and no medication was ready at the pharmacy.",
    "Parking was impossible and we were fined while inside with a sick child.",
    "The receptionist was rude and would not let us book more than a day ahead.",
    "His hearing aids were lost on the ward and nobody will take responsibility.",
    "We were sent to the wrong building because the signs are confusing.",
    "The interpreter we asked for was never booked, so my father understood nothing.",
    "The staff on the ward were kind but clearly far too busy to help with meals.",
    "The online booking system kept crashing and the phone line was always engaged.",
    "Her referral seems to have been lost between the GP and the hospital.",
    "The bus from Thetford does not get there in time for morning appointments.",
    "There was no step-free access and the lift was out of order for weeks.",
]
PALS_CLOSINGS = [
    "Please call me back on 07700 900{n:03d}.",
    "My name is {name} and I would like a reply.",
    "I would like someone to explain what went wrong.",
    "I do not want this to happen to anyone else.",
    "You can email me at {email}.",
    "",
]
FICTIONAL_NAMES = [
    "Margaret Wilson",
    "David Clarke",
    "Susan Patel",
    "John Barker",
    "Amina Yusuf",
    "Peter Gray",
    "Linda Howes",
    "Tomasz Nowak",
]

HEALTHWATCH_OPENINGS = [
    "People we spoke to at our {place} listening event told us",
    "In our survey of {place} residents, many people said",
    "Carers in {place} told Healthwatch",
    "Young people we met in {place} said",
    "Older people in care homes across {place} told us",
    "Our enter and view visit in {place} found",
]
HEALTHWATCH_FINDINGS = [
    "that getting a GP appointment is the biggest worry, especially by phone at 8am.",
    "that NHS dentists are almost impossible to find and many travel over 30 miles.",
    "that mental health waiting lists leave them without support for months.",
    "that they value the pharmacy as the first place to go for advice.",
    "that hospital discharge often happens late at night without transport home.",
    "that digital-only booking shuts out people without smartphones or internet.",
    "that public transport to hospital appointments is unreliable and expensive.",
    "that staff are caring but communication between services is poor.",
    "that maternity services were praised, but postnatal support felt rushed.",
    "that information is rarely available in Easy Read or other languages.",
    "that waiting times for children's autism assessments are far too long.",
    "that carers are not told when the person they care for is discharged.",
]
HEALTHWATCH_ENDINGS = [
    "We recommend the ICB works with local groups to address this.",
    "This echoes what we heard last year.",
    "Several people said nobody had asked them before.",
    "",
]

FFT_FALLBACK = [
    "Staff were friendly and explained everything clearly.",
    "Waited a long time to be seen but the nurse was lovely.",
    "Parking is a nightmare at the hospital.",
    "Very clean ward and good food.",
    "Could not get through on the phone to book.",
    "The doctor listened and did not rush me.",
]


def _topics_for(text: str, topic_ids: dict[str, int]) -> list[int]:
    lowered = text.lower()
    return [
        topic_ids[slug]
        for slug, words in TOPIC_WORDS.items()
        if slug in topic_ids
        and any(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", lowered) for w in words)
    ]


def _day(rng: random.Random, today: date) -> date:
    # More recent months a little busier, over the last two years.
    return today - timedelta(days=int(730 * rng.random() ** 1.3))


def _fft_rows(rng: random.Random) -> list[tuple[str, str]]:
    """(comment, coded theme) pairs from the real FFT file, or made-up ones."""
    try:
        with FFT_FILE.open(encoding="utf-8", newline="") as handle:
            rows = [
                (r["feedback"].strip(), r["label"].strip())
                for r in csv.DictReader(handle)
                if len(r.get("feedback", "").split()) >= 4
            ]
    except (OSError, KeyError, csv.Error):
        rows = []
    if len(rows) < PER_SOURCE:
        return [(rng.choice(FFT_FALLBACK), "") for _ in range(PER_SOURCE)]
    return rng.sample(rows, PER_SOURCE)


def _pals(rng: random.Random) -> list[tuple[str, str]]:
    out = []
    for n in range(PER_SOURCE):
        service, short = rng.choice(PALS_SERVICES)
        name = rng.choice(FICTIONAL_NAMES)
        closing = rng.choice(PALS_CLOSINGS).format(
            n=n, name=name, email=f"{name.split()[0].lower()}@example.com"
        )
        text = " ".join(
            part
            for part in (
                rng.choice(PALS_OPENINGS).format(service=service),
                rng.choice(PALS_ISSUES),
                closing,
            )
            if part
        )
        out.append((text, short))
    return out


def _healthwatch(rng: random.Random) -> list[tuple[str, str]]:
    out = []
    for _ in range(PER_SOURCE):
        place = rng.choice(LOCALITIES)
        text = " ".join(
            part
            for part in (
                rng.choice(HEALTHWATCH_OPENINGS).format(place=place),
                rng.choice(HEALTHWATCH_FINDINGS),
                rng.choice(HEALTHWATCH_ENDINGS),
            )
            if part
        )
        out.append((text, place))
    return out


def load(out: Any = None) -> dict[str, int]:
    """Create the three demo imports if missing; return what was created."""
    rng = random.Random(SEED)  # noqa: S311 – demo data, not security
    today = timezone.localdate()
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    made: dict[str, int] = {}
    parts = [
        ("Demo FFT comments (NHS England pxtextmining, MIT licence).csv", Source.FFT),
        ("Demo PALS extract.csv", Source.PALS),
        ("Demo Healthwatch report findings.csv", Source.HEALTHWATCH),
    ]
    with transaction.atomic():
        for filename, source in parts:
            digest = hashlib.sha256(f"heard-demo:{filename}".encode()).hexdigest()
            if InsightImport.objects.filter(file_sha256=digest).exists():
                continue
            batch = InsightImport.objects.create(
                filename=filename,
                file_sha256=digest,
                encoding="utf-8",
                default_source=source,
                status=InsightImport.Status.DONE,
                completed_at=timezone.now(),
            )
            drafts = []
            if source == Source.FFT:
                for row, (text, theme) in enumerate(_fft_rows(rng), start=2):
                    drafts.append(
                        InsightDraft(
                            text=text,
                            source=source,
                            channel=rng.choice([Channel.ONLINE, Channel.PAPER, Channel.IN_PERSON]),
                            occurred_on=_day(rng, today),
                            locality=rng.choice(LOCALITIES),
                            service=rng.choice(["Outpatients", "Inpatients", "Community", "A&E"]),
                            topic_ids=_topics_for(text, topic_ids),
                            themes=[theme] if theme else [],
                            import_batch_id=batch.pk,
                            import_row=row,
                        )
                    )
            elif source == Source.PALS:
                for row, (text, service) in enumerate(_pals(rng), start=2):
                    drafts.append(
                        InsightDraft(
                            text=text,
                            source=rng.choice([Source.PALS, Source.PALS, Source.COMPLAINT]),
                            channel=rng.choice([Channel.PHONE, Channel.EMAIL, Channel.IN_PERSON]),
                            occurred_on=_day(rng, today),
                            locality=rng.choice(LOCALITIES),
                            service=service,
                            topic_ids=_topics_for(text, topic_ids),
                            import_batch_id=batch.pk,
                            import_row=row,
                        )
                    )
            else:
                for row, (text, place) in enumerate(_healthwatch(rng), start=2):
                    drafts.append(
                        InsightDraft(
                            text=text,
                            source=source,
                            channel=Channel.EVENT,
                            occurred_on=_day(rng, today),
                            locality=place,
                            service="Healthwatch Norfolk",
                            topic_ids=_topics_for(text, topic_ids),
                            import_batch_id=batch.pk,
                            import_row=row,
                        )
                    )
            insights_create(drafts=drafts)
            InsightImport.objects.filter(pk=batch.pk).update(
                total_rows=len(drafts), processed_rows=len(drafts), imported_rows=len(drafts)
            )
            made[f"{source.label} insights"] = len(drafts)
        if made:
            audit_record(action=Action.INSIGHT_DEMO_LOADED, subject=("insight", "demo"), after=made)
    return made
