"""The appraisal maths: weighted scores, combined ranking, ±20 % sensitivity."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heard.servicechange.assessment import appraisal
from heard.servicechange.assessment.appraisal import Inputs

# Two panels scoring three options on three criteria (by hand in the docstrings).
OPTIONS = ["nothing", "move", "new"]
CRITERIA = ["quality", "access", "cost"]
GRIDS = {
    "clinicians": [[1, 3, 4], [5, 3, 3], [4, 4, 1]],
    "public": [[2, 4, 4], [4, 3, 3], [4, 5, 1]],
}


def inputs(weights, grids=GRIDS, options=OPTIONS, criteria=CRITERIA) -> Inputs:
    return Inputs(
        options=options,
        criteria=criteria,
        weights={c: Fraction(w) for c, w in zip(criteria, weights, strict=True)},
        scores={
            panel: {
                (o, c): grid[i][j] for i, o in enumerate(options) for j, c in enumerate(criteria)
            }
            for panel, grid in grids.items()
        },
    )


def test_worked_example():
    """Weights 50/30/20. Clinicians: nothing .5+.9+.8 = 2.2, move 2.5+.9+.6 = 4.0,
    new 2+1.2+.2 = 3.4. Public: nothing 3.0, move 3.5, new 3.7. Mean: 2.6, 3.75, 3.55."""
    result = appraisal.appraise(inputs((50, 30, 20)))
    assert result.weights == {
        "quality": Fraction(1, 2),
        "access": Fraction(3, 10),
        "cost": Fraction(1, 5),
    }
    assert result.panel_scores["clinicians"] == {
        "nothing": Fraction(22, 10),
        "move": Fraction(4),
        "new": Fraction(34, 10),
    }
    assert result.combined == {
        "nothing": Fraction(26, 10),
        "move": Fraction(375, 100),
        "new": Fraction(355, 100),
    }
    assert [(r.option, r.place) for r in result.ranking] == [
        ("move", 1),
        ("new", 2),
        ("nothing", 3),
    ]
    assert result.top == ["move"]
    assert len(result.sensitivity) == 6
    assert result.robust and result.top_robust
    assert result.verdict().startswith("Robust")


def test_sensitivity_names_the_changes_that_flip_the_top():
    """Weights 50/30/12: move − new = (0.5 Q − 1.5 A + 2 C) / total = 4 / 92 > 0, but
    Q −20 % gives 20 − 45 + 24 < 0, A +20 % gives 25 − 54 + 24 < 0 and C −20 % gives
    25 − 45 + 19.2 < 0: those three flip the top; Q +20 %, A −20 %, C +20 % do not."""
    result = appraisal.appraise(inputs((50, 30, 12)))
    assert result.top == ["move"]
    flips = [(s.criterion, s.change_label) for s in result.sensitivity if s.top_changed]
    assert flips == [("quality", "−20%"), ("access", "+20%"), ("cost", "−20%")]
    assert not result.robust and not result.top_robust
    assert result.verdict({"quality": "Quality", "access": "Access", "cost": "Cost"}) == (
        "Not robust: the top option changes when a weight moves "
        "(Quality −20%; Access +20%; Cost −20%)."
    )
    row = next(s for s in result.sensitivity if s.criterion == "access" and s.change > 0)
    assert row.weights["access"] == Fraction(36, 98)
    assert [r.option for r in row.ranking][:1] == ["new"]


def test_order_can_change_below_an_unchanged_top():
    # "a" clearly first; "b" and "c" nearly level: swapping them only changes the order.
    grids = {"panel": [[5, 5], [3, 2], [2, 3]]}
    result = appraisal.appraise(inputs((10, 9), grids, ["a", "b", "c"], ["x", "y"]))
    assert result.top == ["a"]
    assert result.top_robust and not result.robust
    assert result.verdict().startswith("The top option is robust, but the order")


def test_ties_share_a_place_and_are_compared_as_groups():
    grids = {"panel": [[3, 3], [3, 3], [1, 1]]}
    result = appraisal.appraise(inputs((1, 1), grids, ["a", "b", "c"], ["x", "y"]))
    assert [(r.option, r.place, r.tied) for r in result.ranking] == [
        ("a", 1, True),
        ("b", 1, True),
        ("c", 3, False),
    ]
    assert result.top == ["a", "b"]
    assert result.robust


def test_a_tie_that_breaks_is_not_a_change_of_order():
    """b and c tie on 2 + 2 = 2 + 2 but score differently per criterion: any weight move
    separates them (one way or the other). a stays top. That is a tie breaking, not a
    change of order, and the verdict says so."""
    grids = {"panel": [[5, 5], [3, 1], [1, 3]]}
    result = appraisal.appraise(inputs((1, 1), grids, ["a", "b", "c"], ["x", "y"]))
    assert [(r.option, r.place) for r in result.ranking] == [("a", 1), ("b", 2), ("c", 2)]
    assert all(s.ties_broken for s in result.sensitivity)
    assert not any(s.order_changed or s.top_changed for s in result.sensitivity)
    assert result.robust and result.top_robust
    assert "share a place separate" in result.verdict()


def test_a_shared_top_that_separates_is_not_a_change_of_top():
    """a (4, 2) and c (2, 4) share the top on 3; b (3, 2) is third on 2.5. Any move
    separates a and c – the tie breaks – but b stays third and nothing new reaches the top."""
    grids = {"panel": [[4, 2], [3, 2], [2, 4]]}
    result = appraisal.appraise(inputs((1, 1), grids, ["a", "b", "c"], ["x", "y"]))
    assert [(r.option, r.place) for r in result.ranking] == [("a", 1), ("c", 1), ("b", 3)]
    assert all(s.ties_broken for s in result.sensitivity)
    assert not any(s.top_changed or s.order_changed for s in result.sensitivity)


def test_incomplete_inputs_say_what_is_missing():
    data = inputs((50, 30, 20))
    scores = {p: dict(cells) for p, cells in data.scores.items()}
    del scores["public"][("new", "cost")]
    partial = Inputs(data.options, data.criteria, data.weights, scores)
    with pytest.raises(appraisal.Incomplete) as error:
        appraisal.appraise(partial)
    assert error.value.missing == [appraisal.Missing("public", "new", "cost")]
    assert "Scores are missing from public." in error.value.problems


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"options": ["only"]}, "Add at least two options."),
        ({"criteria": [], "weights": {}}, "Add at least one criterion with a weight."),
        (
            {"weights": dict.fromkeys(CRITERIA, Fraction(0))},
            "Give at least one criterion a weight above zero.",
        ),
        ({"scores": {}}, "Add at least one scoring panel."),
    ],
)
def test_problems(change, problem):
    data = inputs((50, 30, 20))
    values = {
        "options": data.options,
        "criteria": data.criteria,
        "weights": data.weights,
        "scores": data.scores,
    }
    values.update(change)
    found, _ = appraisal.problems(Inputs(**values))
    assert problem in found


def test_score_out_of_range_is_a_problem():
    data = inputs((1, 1, 1))
    scores = {p: dict(c) for p, c in data.scores.items()}
    scores["public"][("new", "cost")] = 6
    found, _ = appraisal.problems(Inputs(data.options, data.criteria, data.weights, scores))
    assert "public: every score must be from 0 to 5." in found


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------


@st.composite
def appraisals(draw, min_options=2):
    n_options = draw(st.integers(min_options, 5))
    n_criteria = draw(st.integers(1, 4))
    n_panels = draw(st.integers(1, 3))
    options = [f"o{i}" for i in range(n_options)]
    criteria = [f"c{j}" for j in range(n_criteria)]
    weights = draw(st.lists(st.integers(0, 100), min_size=n_criteria, max_size=n_criteria))
    if not any(weights):
        weights[0] = 1
    score = st.integers(appraisal.SCORE_MIN, appraisal.SCORE_MAX)
    scores = {
        f"p{k}": {(o, c): draw(score) for o in options for c in criteria} for k in range(n_panels)
    }
    return Inputs(
        options=options,
        criteria=criteria,
        weights={c: Fraction(w) for c, w in zip(criteria, weights, strict=True)},
        scores=scores,
    )


@settings(max_examples=150, deadline=None)
@given(appraisals())
def test_scores_stay_on_the_scale_and_match_a_naive_float_calculation(data):
    result = appraisal.appraise(data)
    total = float(sum(data.weights.values()))
    for o in data.options:
        naive = [
            sum(float(data.weights[c]) * cells[(o, c)] for c in data.criteria) / total
            for cells in data.scores.values()
        ]
        assert float(result.combined[o]) == pytest.approx(sum(naive) / len(naive))
        assert appraisal.SCORE_MIN <= result.combined[o] <= appraisal.SCORE_MAX
        for panel in data.scores:
            assert appraisal.SCORE_MIN <= result.panel_scores[panel][o] <= appraisal.SCORE_MAX


@settings(max_examples=150, deadline=None)
@given(appraisals())
def test_ranking_is_ordered_and_places_count_the_better_options(data):
    result = appraisal.appraise(data)
    scores = [r.score for r in result.ranking]
    assert scores == sorted(scores, reverse=True)
    assert sorted(r.option for r in result.ranking) == sorted(data.options)
    for r in result.ranking:
        better = sum(1 for o in data.options if result.combined[o] > r.score)
        same = sum(1 for o in data.options if result.combined[o] == r.score)
        assert r.place == better + 1
        assert r.tied == (same > 1)


@settings(max_examples=100, deadline=None)
@given(appraisals(), st.integers(2, 9))
def test_only_relative_weights_matter(data, k):
    scaled = Inputs(
        data.options, data.criteria, {c: w * k for c, w in data.weights.items()}, data.scores
    )
    a, b = appraisal.appraise(data), appraisal.appraise(scaled)
    assert a.combined == b.combined
    assert a.ranking == b.ranking
    assert [(s.top_changed, s.order_changed) for s in a.sensitivity] == [
        (s.top_changed, s.order_changed) for s in b.sensitivity
    ]


@settings(max_examples=100, deadline=None)
@given(appraisals())
def test_panels_count_equally_whatever_their_order(data):
    reversed_panels = dict(reversed(list(data.scores.items())))
    a = appraisal.appraise(data)
    b = appraisal.appraise(Inputs(data.options, data.criteria, data.weights, reversed_panels))
    assert a.combined == b.combined


@settings(max_examples=150, deadline=None)
@given(appraisals())
def test_sensitivity_has_two_rows_per_criterion_and_a_top_change_is_an_order_change(data):
    result = appraisal.appraise(data)
    assert [(s.criterion, s.change) for s in result.sensitivity] == [
        (c, d) for c in data.criteria for d in (-appraisal.SENSITIVITY, appraisal.SENSITIVITY)
    ]
    for s in result.sensitivity:
        assert sum(s.weights.values()) == 1
        if s.top_changed:
            assert s.order_changed
    assert result.robust == (not any(s.order_changed for s in result.sensitivity))


@settings(max_examples=100, deadline=None)
@given(appraisals())
def test_a_single_criterion_is_always_robust(data):
    one = data.criteria[0]
    single = Inputs(
        data.options,
        [one],
        {one: data.weights[one] or Fraction(1)},
        {p: {k: v for k, v in cells.items() if k[1] == one} for p, cells in data.scores.items()},
    )
    assert appraisal.appraise(single).robust


@settings(max_examples=100, deadline=None)
@given(appraisals())
def test_an_option_best_on_every_criterion_with_every_panel_is_top_and_stays_top(data):
    best = "best"
    scores = {
        panel: {
            **{k: min(v, appraisal.SCORE_MAX - 1) for k, v in cells.items()},
            **{(best, c): appraisal.SCORE_MAX for c in data.criteria},
        }
        for panel, cells in data.scores.items()
    }
    result = appraisal.appraise(Inputs([*data.options, best], data.criteria, data.weights, scores))
    assert result.top == [best]
    assert result.top_robust


@settings(max_examples=100, deadline=None)
@given(appraisals())
def test_sensitivity_rows_match_a_recalculation_with_the_moved_weight(data):
    result = appraisal.appraise(data)
    for s in result.sensitivity:
        moved = dict(data.weights)
        moved[s.criterion] = data.weights[s.criterion] * (1 + s.change)
        again = appraisal.appraise(Inputs(data.options, data.criteria, moved, data.scores))
        assert again.ranking == s.ranking
