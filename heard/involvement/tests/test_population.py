"""Reading population tables and mapping member answers onto their categories."""

import pytest

from heard.involvement.population import (
    PopulationError,
    built_in_population,
    dimensions_problem,
    member_categories,
    population_parse,
)


def test_built_in_norfolk_population_maps_older_bands_into_75_plus():
    population = built_in_population()
    assert set(population.dimensions) == {"sex_age", "sex", "age_band", "ethnic_group"}
    assert "Female 75+" in population.shares["sex_age"]
    assert "Female 85-89" not in population.shares["sex_age"]
    assert sum(population.shares["sex_age"].values()) == pytest.approx(1)
    assert population.shares["ethnic_group"]["White"] == pytest.approx(0.947)
    assert population.unmapped == []


def test_other_area_file_with_different_categories_and_unknown_rows():
    text = (
        "dimension,category,count,share\n"
        "sex_age,Female 18-24,100,\n"
        "sex_age,Female 16-24,5,\n"  # straddles two member bands: cannot be mapped
        "sex_age,Male 18-24,300,\n"
        "ethnic_group,White,,0.5\n"
        "ethnic_group,Martian,,0.5\n"
        "tenure,Owner,10,\n"
    )
    population = population_parse(text, name="Elsewhere")
    assert population.shares["sex"] == {"Female": 0.25, "Male": 0.75}
    assert population.shares["ethnic_group"] == {"White": 1.0}
    assert "sex_age: Female 16-24" in population.unmapped
    assert "ethnic_group: Martian" in population.unmapped
    assert any(u.startswith("tenure") for u in population.unmapped)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b\n1,2\n", "missing: category, count, dimension, share"),
        ("dimension,category,count,share\nsex_age,Female 18-24,lots,\n", "Line 2"),
        ("dimension,category,count,share\nsex_age,Female 18-24,,\n", "give a count or a share"),
        ("dimension,category,count,share\n", "no rows"),
        ("dimension,category,count,share\ntenure,Owner,1,\n", "None of the file's categories"),
    ],
)
def test_unusable_files_get_a_message_saying_what_to_fix(text, message):
    with pytest.raises(PopulationError, match=message):
        population_parse(text, name="x")


def test_member_categories_leave_out_unknown_and_prefer_not_to_say():
    assert member_categories(age_band="18_24", sex="female", ethnic_group="asian_indian") == {
        "sex": "Female",
        "age_band": "18-24",
        "sex_age": "Female 18-24",
        "ethnic_group": "Asian, Asian British or Asian Welsh",
    }
    assert member_categories(
        age_band="prefer_not_to_say", sex="male", ethnic_group="prefer_not_to_say"
    ) == {"sex": "Male"}


def test_overlapping_dimensions_are_refused():
    assert "not both" in dimensions_problem(["sex_age", "sex"])
    assert dimensions_problem(["sex_age", "ethnic_group"]) == ""
