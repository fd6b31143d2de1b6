"""The rules that keep the significance and assurance record honest. Pure: no Django.

domain.md §4–§5 and §8. A record is only worth keeping if it says something and could
have happened: who is affected and the evidence, the reason for an override or for the
urgent-safety path, the committee's view and the EqIA review must be in words (the shared
rule in ``heard.core.substance``); no pass, notice or review is dated in the future or
before the thing it follows; stage 2 of NHS England's assurance follows a passed stage 1,
and a stage is passed only on evidence for each of the four tests (and for the patient
care test whenever beds close).

Each function returns the problems as ``{field: message}``; empty when there is none.
"""

import re
from collections.abc import Iterable
from datetime import date

from heard.core import substance

FOUR_TESTS = ("engagement", "patient_choice", "clinical_evidence", "commissioner_support")
PATIENT_CARE = "patient_care"

# "16 beds", "bed closures", "inpatient beds", "bed base"…
_BEDS = re.compile(r"\bbeds?\b", re.IGNORECASE)


def text_problems(text: str, *, field: str, what: str, min_words: int = 2) -> dict[str, str]:
    """``what`` completes "Give …" (e.g. "the reason for the override")."""
    cleaned = substance.squeeze(text)
    if not cleaned:
        return {field: f"Give {what}."}
    if substance.is_placeholder(cleaned):
        return {field: f"Give {what} in words: \u201c{cleaned}\u201d says nothing."}
    if len(substance.words(cleaned)) < min_words:
        return {field: f"Give {what} in a sentence a reader could follow."}
    return {}


def date_problems(
    value: date,
    *,
    field: str,
    what: str,
    today: date,
    not_before: date | None = None,
    follows: str = "",
) -> dict[str, str]:
    """A date that could have happened: not after ``today`` and not before
    ``not_before`` (the date of what it ``follows``). ``what`` names the date
    ("The notice date")."""
    if value > today:
        return {
            field: f"{what} ({value.isoformat()}) is in the future: record it once it has "
            "happened, with the date it happened."
        }
    if not_before is not None and value < not_before:
        return {
            field: f"{what} ({value.isoformat()}) is before {follows} "
            f"({not_before.isoformat()}): give the date it really happened."
        }
    return {}


def patient_care_applies(bed_closures: bool | None, significance_texts: Iterable[str]) -> bool:
    """The patient care test is asked whenever beds close: the answer about significant
    bed closures is yes, or the significance record speaks of beds."""
    if bed_closures:
        return True
    return any(_BEDS.search(text or "") for text in significance_texts)


def stage_problems(
    *,
    stage: int,
    passed: bool,
    stage1_passed: bool,
    evidenced: Iterable[str],
    patient_care: bool,
) -> dict[str, str]:
    """Why this outcome of a stage of NHS England's assurance cannot be recorded: stage 2
    (whatever its outcome) only after stage 1 has passed; a pass only on evidence."""
    problems: dict[str, str] = {}
    if stage == 2 and not stage1_passed:
        problems["stage"] = (
            "Stage 2 (the assurance checkpoint) follows the strategic sense check: record "
            "stage 1 as passed first."
        )
    if not passed:
        return problems
    wanted = [*FOUR_TESTS, *([PATIENT_CARE] if patient_care else [])]
    missing = [t for t in wanted if t not in set(evidenced)]
    if missing:
        names = ", ".join(t.replace("_", " ") for t in missing)
        problems["outcome"] = (
            "A stage is passed on evidence for each of NHS England's tests"
            + (" (and the patient care test, as beds close)" if patient_care else "")
            + f": record the evidence for {names} first."
        )
    return problems
