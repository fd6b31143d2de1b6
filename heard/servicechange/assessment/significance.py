"""Is a proposal a substantial development or variation of a service? No Django.

domain.md §4: the likely impact is judged in four areas – access; the wider community;
patients or users; service delivery – each as none, minor, moderate or substantial.
A substantial impact in **any** area means formal consultation is required and the
overview and scrutiny committee(s) (OSC) must be consulted. "Substantial" is not defined
in law, so an authorised person may record a reasoned override, which is shown wherever
the determination is. Where a change is urgent because of a risk to the safety or welfare
of patients or staff, consultation may be skipped if the council is told at once with
the reason. Anything that triggers OSC consultation, urgent cases excepted, is a
"notifiable reconfiguration": the Secretary of State is told, with the OSC's view.

``determine`` turns what was recorded into a determination whose ``reasons`` are
written to be read by a scrutiny committee.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Area(StrEnum):
    ACCESS = "access"
    WIDER_COMMUNITY = "wider_community"
    PATIENTS = "patients"
    SERVICE_DELIVERY = "service_delivery"


AREA_LABELS = {
    Area.ACCESS: "Access",
    Area.WIDER_COMMUNITY: "Wider community",
    Area.PATIENTS: "Patients or users",
    Area.SERVICE_DELIVERY: "Service delivery",
}
AREA_HINTS = {
    Area.ACCESS: "For example a change of location or opening times, or less or more service.",
    Area.WIDER_COMMUNITY: "For example economic impact, transport, regeneration.",
    Area.PATIENTS: "Current or future patients or users of the service.",
    Area.SERVICE_DELIVERY: "For example how the service is delivered, or its relocation.",
}
AREA_CHOICES = [(a.value, AREA_LABELS[a]) for a in Area]


class Impact(StrEnum):
    NONE = "none"
    MINOR = "minor"
    MODERATE = "moderate"
    SUBSTANTIAL = "substantial"


IMPACT_LABELS = {
    Impact.NONE: "None",
    Impact.MINOR: "Minor",
    Impact.MODERATE: "Moderate",
    Impact.SUBSTANTIAL: "Substantial",
}
IMPACT_CHOICES = [(i.value, IMPACT_LABELS[i]) for i in Impact]


@dataclass(frozen=True)
class Override:
    """A reasoned override by an authorised person: the answer they gave and why."""

    consultation_required: bool
    reason: str
    by: str = ""


@dataclass(frozen=True)
class Determination:
    complete: bool
    missing: list[Area]
    substantial: list[Area]
    required_by_rules: bool
    override: Override | None
    consultation_required: bool
    osc_required: bool
    urgent: bool
    notifiable: bool
    headline: str
    reasons: list[str] = field(default_factory=list)


def _names(areas: list[Area]) -> str:
    labels = [AREA_LABELS[a].lower() for a in areas]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def determine(
    impacts: Mapping[Area, Impact],
    *,
    override: Override | None = None,
    urgent: bool = False,
) -> Determination:
    """The determination for the impacts recorded so far.

    ``impacts`` holds the areas assessed; a missing area leaves it incomplete (and no
    requirement is stated). ``override`` (if any) replaces the answer the rules give and
    is stated next to it. ``urgent`` is the urgent-safety path, recorded with its notice.
    """
    missing = [a for a in Area if a not in impacts]
    substantial = [a for a in Area if impacts.get(a) == Impact.SUBSTANTIAL]
    by_rules = bool(substantial)
    complete = not missing
    if not complete:
        return Determination(
            complete=False,
            missing=missing,
            substantial=substantial,
            required_by_rules=by_rules,
            override=override,
            consultation_required=False,
            osc_required=False,
            urgent=urgent,
            notifiable=False,
            headline="Not determined yet: assess " + _names(missing) + ".",
            reasons=[],
        )
    required = override.consultation_required if override else by_rules
    reasons: list[str] = []
    for area in Area:
        level = IMPACT_LABELS[impacts[area]].lower()
        reasons.append(f"{AREA_LABELS[area]}: {'no' if level == 'none' else level} impact.")
    if by_rules:
        reasons.append(
            f"The impact on {_names(substantial)} is substantial, so under the rules this is "
            "a substantial development or variation: formal consultation is required and "
            "the overview and scrutiny committee(s) must be consulted."
        )
    else:
        reasons.append(
            "No area has a substantial impact, so under the rules formal consultation is "
            "not required; the duty to involve still applies."
        )
    if override is not None:
        who = f" by {override.by}" if override.by else ""
        agrees = " (the same answer as the rules give)" if required == by_rules else ""
        reasons.append(
            f"A reasoned override was recorded{who}: formal consultation "
            f"{'is' if required else 'is not'} required{agrees}. Reason: {override.reason}"
        )
    if urgent:
        reasons.append(
            "The urgent-safety path is recorded: the change is urgent because of a risk to "
            "the safety or welfare of patients or staff, and the council was told at once "
            "with the reason. Formal consultation may be skipped."
        )
    osc = required
    notifiable = osc and not urgent
    if notifiable:
        reasons.append(
            "It is a notifiable reconfiguration: the Secretary of State must be told, "
            "with the overview and scrutiny committee's view."
        )
    if urgent:
        headline = "Urgent-safety path: consultation skipped, council told"
    elif required:
        headline = "Formal consultation required; the OSC must be consulted"
    else:
        headline = "Formal consultation not required"
    if override is not None and override.consultation_required != by_rules:
        headline += " (overridden)"
    return Determination(
        complete=True,
        missing=[],
        substantial=substantial,
        required_by_rules=by_rules,
        override=override,
        consultation_required=required,
        osc_required=osc,
        urgent=urgent,
        notifiable=notifiable,
        headline=headline,
        reasons=reasons,
    )
