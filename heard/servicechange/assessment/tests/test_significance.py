"""The significance determination (domain.md §4), every combination of impacts."""

import itertools

import pytest

from heard.servicechange.assessment.significance import Area, Impact, Override, determine

ALL = list(itertools.product(Impact, repeat=len(Area)))


@pytest.mark.parametrize("levels", ALL, ids=lambda levels: "-".join(levels))
def test_substantial_in_any_area_requires_consultation_and_the_osc(levels):
    result = determine(dict(zip(Area, levels, strict=True)))
    any_substantial = Impact.SUBSTANTIAL in levels
    assert result.complete
    assert result.required_by_rules is any_substantial
    assert result.consultation_required is any_substantial
    assert result.osc_required is any_substantial
    assert result.notifiable is any_substantial
    assert result.substantial == [
        a for a, level in zip(Area, levels, strict=True) if level == Impact.SUBSTANTIAL
    ]
    assert len(result.reasons) >= 5  # one line per area, then the rule applied


def test_an_area_with_no_impact_reads_as_no_impact():
    result = determine(
        {
            Area.ACCESS: Impact.MINOR,
            Area.WIDER_COMMUNITY: Impact.NONE,
            Area.PATIENTS: Impact.MINOR,
            Area.SERVICE_DELIVERY: Impact.NONE,
        }
    )
    assert result.reasons[1] == "Wider community: no impact."
    assert not any("none impact" in r for r in result.reasons)


def test_reasons_read_as_a_determination_for_a_scrutiny_committee():
    result = determine(
        {
            Area.ACCESS: Impact.SUBSTANTIAL,
            Area.WIDER_COMMUNITY: Impact.MINOR,
            Area.PATIENTS: Impact.SUBSTANTIAL,
            Area.SERVICE_DELIVERY: Impact.MODERATE,
        }
    )
    assert result.headline == "Formal consultation required; the OSC must be consulted"
    assert result.reasons[:4] == [
        "Access: substantial impact.",
        "Wider community: minor impact.",
        "Patients or users: substantial impact.",
        "Service delivery: moderate impact.",
    ]
    assert "The impact on access and patients or users is substantial" in result.reasons[4]
    assert "notifiable reconfiguration" in result.reasons[-1]


def test_not_substantial_anywhere():
    result = determine(dict.fromkeys(Area, Impact.MODERATE))
    assert result.headline == "Formal consultation not required"
    assert "the duty to involve still applies" in result.reasons[-1]
    assert not result.notifiable


def test_missing_areas_leave_it_undetermined_whatever_else_is_substantial():
    result = determine({Area.ACCESS: Impact.SUBSTANTIAL, Area.PATIENTS: Impact.NONE})
    assert not result.complete
    assert result.missing == [Area.WIDER_COMMUNITY, Area.SERVICE_DELIVERY]
    assert not result.consultation_required
    assert result.headline == "Not determined yet: assess wider community and service delivery."


@pytest.mark.parametrize("by_rules", [True, False])
@pytest.mark.parametrize("answer", [True, False])
def test_an_override_replaces_the_answer_and_is_stated(by_rules, answer):
    impacts = dict.fromkeys(Area, Impact.MINOR)
    if by_rules:
        impacts[Area.ACCESS] = Impact.SUBSTANTIAL
    override = Override(
        consultation_required=answer,
        reason="Local feeling runs high.",
        by="A Board (decision maker)",
    )
    result = determine(impacts, override=override)
    assert result.required_by_rules is by_rules
    assert result.consultation_required is answer
    assert result.osc_required is answer
    assert result.override == override
    stated = [r for r in result.reasons if "override" in r]
    assert len(stated) == 1
    assert "by A Board (decision maker)" in stated[0]
    assert "Local feeling runs high." in stated[0]
    assert result.headline.endswith("(overridden)") is (answer != by_rules)


def test_urgent_path_is_not_notifiable_and_says_consultation_may_be_skipped():
    impacts = dict.fromkeys(Area, Impact.NONE) | {Area.SERVICE_DELIVERY: Impact.SUBSTANTIAL}
    result = determine(impacts, urgent=True)
    assert result.consultation_required
    assert result.urgent
    assert not result.notifiable
    assert result.headline.startswith("Urgent-safety path")
    assert any("Formal consultation may be skipped" in r for r in result.reasons)
