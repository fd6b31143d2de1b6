"""The structured equality impact assessment (domain.md §8). No Django.

The public sector equality duty (Equality Act 2010 s.149) asks for due regard to the
need to eliminate discrimination, advance equality of opportunity and foster good
relations, across the nine protected characteristics. The ICB adds groups it has chosen
to consider the same way (carers and deprivation always; rurality and the armed forces
community where they apply). For each, the EqIA records the evidence, the likely impact
(positive, neutral, negative or unknown) and – where the impact is negative – how it will
be mitigated.

The Brown principles (R (Brown) v SSWP [2008] EWHC 3158): the duty is had by the
decision makers themselves, before and at the time of the decision, in substance and
with rigour, and cannot be delegated. So the EqIA is reviewed after the consultation and
each decision maker records, in their own words, the regard they had to it before the
decision (``due_regard_problems``).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from heard.core import substance


class Characteristic(StrEnum):
    AGE = "age"
    DISABILITY = "disability"
    GENDER_REASSIGNMENT = "gender_reassignment"
    MARRIAGE = "marriage_civil_partnership"
    PREGNANCY = "pregnancy_maternity"
    RACE = "race"
    RELIGION = "religion_belief"
    SEX = "sex"
    SEXUAL_ORIENTATION = "sexual_orientation"
    # The ICB's additions.
    CARERS = "carers"
    DEPRIVATION = "deprivation"
    RURALITY = "rurality"
    ARMED_FORCES = "armed_forces"


CHARACTERISTIC_LABELS: dict[Characteristic, str] = {
    Characteristic.AGE: "Age",
    Characteristic.DISABILITY: "Disability",
    Characteristic.GENDER_REASSIGNMENT: "Gender reassignment",
    Characteristic.MARRIAGE: "Marriage and civil partnership",
    Characteristic.PREGNANCY: "Pregnancy and maternity",
    Characteristic.RACE: "Race",
    Characteristic.RELIGION: "Religion or belief",
    Characteristic.SEX: "Sex",
    Characteristic.SEXUAL_ORIENTATION: "Sexual orientation",
    Characteristic.CARERS: "Carers",
    Characteristic.DEPRIVATION: "Deprivation and socio-economic disadvantage",
    Characteristic.RURALITY: "Rurality",
    Characteristic.ARMED_FORCES: "Armed forces community",
}

PROTECTED: tuple[Characteristic, ...] = tuple(list(Characteristic)[:9])
# Every EqIA considers these; rurality and the armed forces community where they apply.
REQUIRED: tuple[Characteristic, ...] = (
    *PROTECTED,
    Characteristic.CARERS,
    Characteristic.DEPRIVATION,
)


class Impact(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"
    UNKNOWN = "unknown"


IMPACT_LABELS: dict[Impact, str] = {
    Impact.POSITIVE: "Positive",
    Impact.NEUTRAL: "Neutral",
    Impact.NEGATIVE: "Negative",
    Impact.UNKNOWN: "Unknown",
}


@dataclass(frozen=True)
class Row:
    """What the EqIA says about one characteristic."""

    characteristic: str
    impact: str = ""
    evidence: str = ""
    mitigation: str = ""


def row_problems(row: Row) -> dict[str, str]:
    """What is missing from one characteristic's row, keyed by field."""
    problems: dict[str, str] = {}
    label = CHARACTERISTIC_LABELS.get(Characteristic(row.characteristic), row.characteristic)
    if row.impact not in {i.value for i in Impact}:
        problems["impact"] = (
            f"{label}: say whether the impact is positive, neutral, negative or unknown."
        )
    evidence = substance.reason_problems(row.evidence, what="", min_words=4)
    if evidence:
        problems["evidence"] = (
            f"{label}: give the evidence the impact rests on (data, engagement, research) "
            "in a sentence a reader could follow."
        )
    if row.impact == Impact.NEGATIVE and substance.reason_problems(
        row.mitigation, what="", min_words=4
    ):
        problems["mitigation"] = (
            f"{label}: the impact is negative – say how it will be mitigated (or why it "
            "cannot be, and why the change is justified)."
        )
    return problems


def completeness_problems(rows: Mapping[str, Row]) -> list[str]:
    """Why the EqIA is not complete: a required characteristic not considered, a row
    without evidence, a negative impact without mitigation. Empty: complete."""
    problems: list[str] = []
    missing = [CHARACTERISTIC_LABELS[c] for c in REQUIRED if c.value not in rows]
    if missing:
        problems.append("Not yet considered: " + ", ".join(missing) + ".")
    for characteristic in Characteristic:
        row = rows.get(characteristic.value)
        if row is not None:
            problems.extend(row_problems(row).values())
    return problems


def negative_without_mitigation(rows: Mapping[str, Row]) -> list[str]:
    return [
        CHARACTERISTIC_LABELS[Characteristic(r.characteristic)]
        for r in rows.values()
        if r.impact == Impact.NEGATIVE and "mitigation" in row_problems(r)
    ]


def due_regard_problems(
    *,
    statement: str,
    reviewed_on: date | None,
    already_recorded: bool,
) -> list[str]:
    """Why a decision maker's record of due regard cannot be taken."""
    problems: list[str] = []
    if already_recorded:
        return [
            "You have already recorded your regard to this review of the EqIA: it stands "
            "as recorded."
        ]
    if reviewed_on is None:
        problems.append(
            "The EqIA has not been reviewed in the light of what people said: it is "
            "reviewed first, then each decision maker records the regard they had to it."
        )
    problems += substance.statement_problems(
        statement,
        what=(
            "what you read in the EqIA and how the impacts on people with protected "
            "characteristics weigh in your decision"
        ),
        min_words=15,
    )
    return problems
