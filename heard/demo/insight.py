"""Demo insights from three other sources: PALS, Friends and Family Test, Healthwatch.

Called by ``manage.py demo_load`` after the engagement demo. Each source is a CSV file
made here and imported through the insight import, as an analyst would import it (see
``load``); idempotent (the three demo imports are recognised by their file names).

* FFT: 300 real comments sampled from ``../shared/data/nhs-patient-feedback`` (beside the repository) – the
  pxtextmining development set, copyright NHS England, MIT licence (see the LICENSE file
  beside the data; the notice is kept with it). Their human-coded theme is kept as the
  insight's theme. Places and dates are made up. If the file is missing, made-up FFT
  comments are used instead.
* PALS and Healthwatch: 300 made-up comments each, built from templates, some with
  fictional names and phone numbers to show redaction at work.
"""

import csv
import io
import random
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.demo.staff import demo_staff
from heard.insight.models import Channel, InsightImport, Source
from heard.insight.services import insight_import_run, insight_import_upload
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


def _topics_for(text: str, topic_slugs: set[str]) -> list[str]:
    lowered = text.lower()
    return [
        slug
        for slug, words in TOPIC_WORDS.items()
        if slug in topic_slugs
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


ANALYST_EMAIL = "analyst@demo.heard.example"


def _analyst() -> User:
    """The demo's analyst, who imports the three files (the import checks they may)."""
    return demo_staff(ANALYST_EMAIL)


HEADER = ["Comment", "Date", "Source", "Channel", "Locality", "Service", "Topics", "Theme"]


def _row(
    text: str,
    source: str,
    channel: str,
    occurred_on: date,
    locality: str,
    service: str,
    topics: list[str],
    theme: str = "",
) -> list[str]:
    return [
        text,
        occurred_on.isoformat(),
        source,
        channel,
        locality,
        service,
        "; ".join(topics),
        theme,
    ]


def _rows(source: str, rng: random.Random, today: date, topic_slugs: set[str]) -> list[list[str]]:
    """One demo file's rows, as the source would export them (made in the same order, with
    the same random draws, as when the demo wrote the insights directly)."""
    rows: list[list[str]] = []
    if source == Source.FFT:
        for text, theme in _fft_rows(rng):
            rows.append(
                _row(
                    text,
                    "FFT",
                    rng.choice([Channel.ONLINE, Channel.PAPER, Channel.IN_PERSON]),
                    _day(rng, today),
                    rng.choice(LOCALITIES),
                    rng.choice(["Outpatients", "Inpatients", "Community", "A&E"]),
                    _topics_for(text, topic_slugs),
                    theme,
                )
            )
    elif source == Source.PALS:
        for text, service in _pals(rng):
            rows.append(
                _row(
                    text,
                    rng.choice([Source.PALS, Source.PALS, Source.COMPLAINT]),
                    rng.choice([Channel.PHONE, Channel.EMAIL, Channel.IN_PERSON]),
                    _day(rng, today),
                    rng.choice(LOCALITIES),
                    service,
                    _topics_for(text, topic_slugs),
                )
            )
    else:
        for text, place in _healthwatch(rng):
            rows.append(
                _row(
                    text,
                    "Healthwatch",
                    Channel.EVENT,
                    _day(rng, today),
                    place,
                    "Healthwatch Norfolk",
                    _topics_for(text, topic_slugs),
                )
            )
    return rows


def load(out: Any = None) -> dict[str, int]:
    """Import the three demo files if they have not been imported; return what was made.

    Through the front door: each file is a CSV made here and imported the way the
    analyst's upload on the import page is (``insight_import_upload``), then run the way
    its background task runs it (``insight_import_run``), synchronously, so every demo
    insight meets every rule of the import (dates, sources, places, redaction)."""
    rng = random.Random(SEED)  # noqa: S311 – demo data, not security
    today = timezone.localdate()
    topic_slugs = set(Topic.objects.values_list("slug", flat=True))
    actor = _analyst()
    made: dict[str, int] = {}
    parts = [
        ("Demo FFT comments (NHS England pxtextmining, MIT licence).csv", Source.FFT),
        ("Demo PALS extract.csv", Source.PALS),
        ("Demo Healthwatch report findings.csv", Source.HEALTHWATCH),
    ]
    with transaction.atomic():
        for filename, source in parts:
            # Drawn whether or not the file is imported again, so each file is the same.
            rows = _rows(source, rng, today, topic_slugs)
            if InsightImport.objects.filter(filename=filename).exists():
                continue
            buffer = io.StringIO()
            csv.writer(buffer).writerows([HEADER, *rows])
            batch = insight_import_upload(
                filename=filename,
                data=buffer.getvalue().encode("utf-8"),
                default_source=source,
                actor=actor,
            )
            batch = insight_import_run(batch_id=batch.pk)
            if batch.status != InsightImport.Status.DONE or batch.rejected_rows:
                raise RuntimeError(f"The demo import {filename} did not complete: {batch.error}")
            made[f"{source.label} insights"] = batch.imported_rows
        if made:
            audit_record(action=Action.INSIGHT_DEMO_LOADED, subject=("insight", "demo"), after=made)
    return made
