from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from heard_analysis import find_pii, redact, redact_many
from heard_analysis.redact import nhs_number_is_valid

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me on 07700 900123 please", "Call me on [PHONE] please"),
        ("Ring (0115) 496 0123 today", "Ring [PHONE] today"),
        ("or +44 (0)20 7946 0018.", "or [PHONE]."),
        ("email jo.bloggs@nhs.net now", "email [EMAIL] now"),
        ("see https://www.nhs.uk/conditions/asthma/.", "see [URL]."),
        ("NHS number 943 476 5919 was wrong", "NHS number [NHS_NUMBER] was wrong"),
        ("I live at NG7 2UH.", "I live at [POSTCODE]."),
        ("DOB 12/03/1956 on the form", "DOB [DOB] on the form"),
        ("Dr Okonkwo was lovely", "Dr [NAME] was lovely"),
        ("My husband, John, was scared", "[PERSON], [NAME], was scared"),
        ("Thanks to Sarah Jones on Ward 7", "Thanks to [NAME] on Ward 7"),
        ("I saw Dr. O'Brien and Mr McDonald", "I saw Dr. [NAME] and Mr [NAME]"),
        ("Staff nurse Kowalczyk was kind", "Staff nurse [NAME] was kind"),
        # an address at the end of a sentence (the full stop is not part of it)
        ("write to jo.bloggs@example.com.", "write to [EMAIL]."),
        ("Mail me: a.b@trust.nhs.uk. Thanks", "Mail me: [EMAIL]. Thanks"),
        ("is jo@example.co.uk.", "is [EMAIL]."),
        # people beside places: the person goes, the place stays
        ("Dr Patel at St Mary's Surgery was kind", "Dr [NAME] at St Mary's Surgery was kind"),
        ("nurse Karen on Ward 5 was lovely", "nurse [NAME] on Ward 5 was lovely"),
        (
            "my husband John was in the Royal Derby Hospital",
            "[PERSON] [NAME] was in the Royal Derby Hospital",
        ),
        (
            "Sarah Jones at the John Radcliffe Hospital",
            "[NAME] at the John Radcliffe Hospital",
        ),
        (
            "Thanks to Karen on Florence Nightingale ward",
            "Thanks to [NAME] on Florence Nightingale ward",
        ),
    ],
)
def test_redacts(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ward 7 was clean and Norfolk staff were lovely.",
        "In May the waiting times were better.",
        "Will I get a letter?",
        "Queen Elizabeth Hospital needs more parking.",
        "Victoria Ward was calm.",
        "I called 111 and waited 3 hours.",
        "My appointment on 12/03/2024 was cancelled.",
        "Sister was kind. Dr was rushed.",
        "Order code 1234567890 was on the box.",
        # hospitals, practices and wards, some named after people
        "I was treated at the Royal Derby Hospital.",
        "St Mary's Surgery was great.",
        "Thank you to St Mary's Surgery.",
        "The staff on Ward 5 were great.",
        "Thanks to Ward 5 for everything.",
        "I was treated at the John Radcliffe Hospital.",
        "George Eliot Hospital staff were kind.",
        "Thank you William Harvey Hospital.",
        "Thanks to the Florence Nightingale ward team.",
        "Saw the Florence Nightingale Hospice nurse.",
        "Thanks to Kingsmill hospital.",
        "Thanks to King's Mill staff.",
        "The Wells Road Centre was helpful.",
        "The Elizabeth Garrett Anderson wing was good.",
        "Thanks to Chesterfield Royal.",
        "Thanks to Thorneywood.",
    ],
)
def test_leaves_non_personal_text(text: str) -> None:
    assert redact(text) == text


def test_nhs_check_digit() -> None:
    assert nhs_number_is_valid("943 476 5919")
    assert not nhs_number_is_valid("943 476 5918")
    assert not nhs_number_is_valid("12345")
    # a 10-digit number that fails modulus 11 is not redacted without an NHS cue
    assert redact("ref 9434765918") == "ref 9434765918"
    assert redact("NHS no 9434765918") == "NHS no [NHS_NUMBER]"


def test_hostile_inputs_do_not_hang() -> None:
    # 100 kB strings built to trigger catastrophic backtracking in naive patterns: the
    # linear patterns take about a second each on a loaded machine, a quadratic one would
    # take hours (the bound only tells a hang from work; speed is in benchmarks/).
    for hostile in ["a@" * 50_000, "1 " * 50_000, "x." * 50_000, "my mum " * 15_000]:
        t0 = time.perf_counter()
        redact(hostile)
        assert time.perf_counter() - t0 < 15


def test_redact_many_progress() -> None:
    calls: list[tuple[int, int]] = []
    out = redact_many(["Dr Smith", "", "nothing"], progress=lambda d, t: calls.append((d, t)))
    assert out == ["Dr [NAME]", "", "nothing"]
    assert calls[-1] == (3, 3)


OLD_TYPES = {"EMAIL", "URL", "NHS_NUMBER", "PHONE", "POSTCODE", "DOB", "NAME"}


def _score() -> tuple[Counter[str], Counter[str], Counter[str]]:
    tp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    with (DATA / "redaction_set.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    assert len(rows) >= 300
    for row in rows:
        gold = [(s["start"], s["end"], s["type"]) for s in row["spans"]]
        # this set labels the identifiers and names only: the later types (addresses,
        # health, third parties, ages, roles) are measured on the blind set
        # (benchmarks/redaction_quality.py)
        pred = [(p.start, p.end, p.type) for p in find_pii(row["text"]) if p.type in OLD_TYPES]
        for g in gold:
            hit = any(p[2] == g[2] and p[0] < g[1] and g[0] < p[1] for p in pred)
            (tp if hit else fn)[g[2]] += 1
        for p in pred:
            if not any(p[2] == g[2] and p[0] < g[1] and g[0] < p[1] for g in gold):
                fp[p[2]] += 1
    return tp, fn, fp


def test_labelled_set_recall_and_precision() -> None:
    tp, fn, fp = _score()
    structured = ["EMAIL", "URL", "NHS_NUMBER", "PHONE", "POSTCODE", "DOB"]
    s_tp = sum(tp[t] for t in structured)
    s_fn = sum(fn[t] for t in structured)
    assert s_tp / (s_tp + s_fn) >= 0.95
    assert tp["NAME"] / (tp["NAME"] + fn["NAME"]) >= 0.85
    total_tp = sum(tp.values())
    assert total_tp / (total_tp + sum(fp.values())) >= 0.9


# What the consent box promises: addresses, health, third parties, ages, identifying roles.
# (Examples written with the rules; the blind measurement is benchmarks/redaction_quality.py.)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I live at 4 Mill Lane Northgate NR12 3AB, call 07700 900123.",
            "I live at [ADDRESS], call [PHONE].",
        ),
        ("Send it to 22 station road, holt.", "Send it to [ADDRESS]."),
        ("Flat 2, Orchard Court, Cromer NR27 9AA", "[ADDRESS]"),
        ("We live on Mill Lane.", "We live on [ADDRESS]."),
        (
            "I have Parkinson's and dementia is starting.",
            "I have [HEALTH] and [HEALTH] is starting.",
        ),
        ("my husband's dementia is worse", "[PERSON]'s [HEALTH] is worse"),
        ("I am registered blind", "I am [HEALTH]"),
        ("My autistic son loves the bus", "My [HEALTH] [PERSON] loves the bus"),
        ("I am on insulin and use a wheelchair.", "I am on [HEALTH] and use a [HEALTH]."),
        ("Speaking for my mum, who is 91.", "Speaking for [PERSON], who is [AGE]."),
        ("Our neighbour drove me.", "[PERSON] drove me."),
        ("my dad, 88, waited", "[PERSON], [AGE], waited"),
        ("I'm 72 and a 45 year old man helped", "I'm [AGE] and a [AGE] man helped"),
        ("I run the bakery on the market square.", "I run [ROLE]."),
        ("She is the only pharmacist in Holt.", "She is [ROLE]."),
        ("I was the landlord of the Red Lion in Aylsham.", "I was [ROLE]."),
    ],
)
def test_redacts_what_consent_promises(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "People with dementia need more support.",
        "I think people with diabetes are let down.",
        "The diabetes clinic was great and the stroke unit too.",
        "Cancer care here is good.",
        "It is a 10 minute walk from the station.",
        "The 12 bus takes an hour.",
        "I waited 3 hours on Ward 4.",
        "Parking on Colney Lane is a nightmare.",
        "My GP was helpful.",
    ],
)
def test_leaves_services_and_generic_mentions(text: str) -> None:
    assert redact(text) == text
