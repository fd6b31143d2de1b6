"""Co-produced option appraisal: weighted scores, the combined ranking and a ±20 %
sensitivity check. No Django.

How it works (and what the pages say):

- Each criterion has a weight agreed with stakeholders. Weights are relative: they are
  scaled to add up to 1 (100 %) before use, so "3, 2, 1" and "50, 33.3, 16.7" mean the same.
- Each panel (clinicians, a public reference group…) scores every option on every
  criterion from ``SCORE_MIN`` to ``SCORE_MAX``. A panel's weighted score for an option
  is the sum over criteria of weight × score, so it is on the same 0–5 scale.
- Panels count equally: the combined score of an option is the **mean of the panels'
  weighted scores**. Options are ranked by it, highest first; equal scores share a place.
- Sensitivity: for every criterion, its weight is moved by −20 % and by +20 %, the
  weights scaled again to add up to 1, and the ranking worked out again. Each change is
  reported with whether the top option or the order changed. The appraisal is "robust"
  if no single change alters the order. The order changes when two options that were
  in different places swap or come level; two options that shared a place separating
  is reported on its own ("the tie breaks"), not as a change of order – with a tie,
  almost any move separates them one way or the other. Likewise the top changes when an
  option not at the top reaches it, not when options sharing the top place separate.

All arithmetic is exact (``fractions.Fraction``): ties are real ties, not rounding noise.
Every option given is appraised, including options later set aside – the appraisal is
part of the reason for setting one aside.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

SCORE_MIN = 0
SCORE_MAX = 5
SENSITIVITY = Fraction(1, 5)  # ±20 %

Cell = tuple[str, str]  # (option, criterion)


@dataclass(frozen=True)
class Inputs:
    """``options`` and ``criteria`` in display order (the order breaks no ties: equal
    scores share a place); ``weights[criterion]`` ≥ 0; ``scores[panel][(option,
    criterion)]`` an integer from SCORE_MIN to SCORE_MAX."""

    options: Sequence[str]
    criteria: Sequence[str]
    weights: Mapping[str, Fraction]
    scores: Mapping[str, Mapping[Cell, int]]
    # Display names for the keys above, used in problems (keys are shown otherwise).
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Missing:
    panel: str
    option: str
    criterion: str


@dataclass(frozen=True)
class Ranked:
    option: str
    score: Fraction
    place: int  # 1 = top; tied options share a place
    tied: bool


@dataclass(frozen=True)
class Sensitivity:
    criterion: str
    change: Fraction  # -SENSITIVITY or +SENSITIVITY
    weights: dict[str, Fraction]
    ranking: list[Ranked]
    top_changed: bool
    order_changed: bool
    ties_broken: bool = False  # options that shared a place no longer do

    @property
    def change_label(self) -> str:
        return f"{'+' if self.change > 0 else '−'}{round(float(abs(self.change)) * 100)}%"


@dataclass(frozen=True)
class Result:
    weights: dict[str, Fraction]  # scaled to add up to 1
    panel_scores: dict[str, dict[str, Fraction]]  # panel -> option -> weighted score
    combined: dict[str, Fraction]
    ranking: list[Ranked]
    sensitivity: list[Sensitivity]

    @property
    def top(self) -> list[str]:
        return [r.option for r in self.ranking if r.place == 1]

    @property
    def robust(self) -> bool:
        return not any(s.order_changed for s in self.sensitivity)

    @property
    def top_robust(self) -> bool:
        return not any(s.top_changed for s in self.sensitivity)

    def verdict(self, names: Mapping[str, str] | None = None) -> str:
        """The sensitivity check in one sentence; ``names`` maps criterion keys to names."""

        def name(s: Sensitivity) -> str:
            return f"{(names or {}).get(s.criterion, s.criterion)} {s.change_label}"

        if self.robust:
            ties = (
                " Options that share a place separate when some weights move, one way or the other."
                if any(s.ties_broken for s in self.sensitivity)
                else ""
            )
            return (
                "Robust: moving any single criterion's weight by 20 % either way changes "
                "neither the top option nor the order." + ties
            )
        flips = [s for s in self.sensitivity if s.top_changed]
        if flips:
            changes = "; ".join(name(s) for s in flips)
            return f"Not robust: the top option changes when a weight moves ({changes})."
        changes = "; ".join(name(s) for s in self.sensitivity if s.order_changed)
        return (
            "The top option is robust, but the order of the others changes when a weight "
            f"moves ({changes})."
        )


class Incomplete(ValueError):
    def __init__(self, problems: list[str], missing: list[Missing]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems
        self.missing = missing


def missing_scores(inputs: Inputs) -> list[Missing]:
    return [
        Missing(panel, option, criterion)
        for panel, cells in inputs.scores.items()
        for option in inputs.options
        for criterion in inputs.criteria
        if (option, criterion) not in cells
    ]


def problems(inputs: Inputs) -> tuple[list[str], list[Missing]]:
    """Why the appraisal cannot be worked out yet (empty when it can)."""
    found: list[str] = []

    def name(key: str) -> str:
        return inputs.names.get(key, key)

    if len(inputs.options) < 2:
        found.append("Add at least two options.")
    if not inputs.criteria:
        found.append("Add at least one criterion with a weight.")
    elif sum((inputs.weights.get(c, Fraction(0)) for c in inputs.criteria), Fraction(0)) <= 0:
        found.append("Give at least one criterion a weight above zero.")
    if any(inputs.weights.get(c, Fraction(0)) < 0 for c in inputs.criteria):
        found.append("Weights cannot be negative.")
    if not inputs.scores:
        found.append("Add at least one scoring panel.")
    for panel, cells in inputs.scores.items():
        if any(not SCORE_MIN <= v <= SCORE_MAX for v in cells.values()):
            found.append(f"{name(panel)}: every score must be from {SCORE_MIN} to {SCORE_MAX}.")
    missing = missing_scores(inputs)
    if missing:
        panels = sorted({name(m.panel) for m in missing})
        found.append("Scores are missing from " + ", ".join(panels) + ".")
    return found, missing


def normalise(weights: Mapping[str, Fraction] | Mapping[str, int]) -> dict[str, Fraction]:
    total = sum(weights.values(), Fraction(0))
    if total <= 0:
        raise ValueError("The weights add up to zero.")
    return {c: Fraction(w) / total for c, w in weights.items()}


def weighted_scores(
    weights: Mapping[str, Fraction], cells: Mapping[Cell, int], options: Sequence[str]
) -> dict[str, Fraction]:
    """One panel's weighted score for each option (weights already normalised)."""
    return {o: sum((w * cells[(o, c)] for c, w in weights.items()), Fraction(0)) for o in options}


def combine(
    panel_scores: Mapping[str, Mapping[str, Fraction]], options: Sequence[str]
) -> dict[str, Fraction]:
    """The mean of the panels' weighted scores for each option."""
    n = len(panel_scores)
    return {
        o: sum((scores[o] for scores in panel_scores.values()), Fraction(0)) / n for o in options
    }


def rank(combined: Mapping[str, Fraction], options: Sequence[str]) -> list[Ranked]:
    ordered = sorted(options, key=lambda o: (-combined[o], options.index(o)))
    ranking: list[Ranked] = []
    for i, option in enumerate(ordered):
        score = combined[option]
        place = ranking[-1].place if ranking and ranking[-1].score == score else i + 1
        tied = sum(1 for o in options if combined[o] == score) > 1
        ranking.append(Ranked(option=option, score=score, place=place, tied=tied))
    return ranking


def _places(ranking: list[Ranked]) -> dict[str, int]:
    return {r.option: r.place for r in ranking}


def _compare(base: list[Ranked], new: list[Ranked]) -> tuple[bool, bool, bool]:
    """(top changed, order changed, ties broken) between two rankings of the same options.

    Order changed: a pair in different places before is now level or the other way round.
    Ties broken: a pair that shared a place no longer does. Top changed: an option that
    was not at the top now is (implies an order change)."""
    before, after = _places(base), _places(new)
    options = list(before)
    order_changed = ties_broken = False
    for i, a in enumerate(options):
        for b in options[i + 1 :]:
            was = (before[a] > before[b]) - (before[a] < before[b])
            now = (after[a] > after[b]) - (after[a] < after[b])
            if was == 0 and now != 0:
                ties_broken = True
            elif was != 0 and now != was:
                order_changed = True
    top_before = {o for o, p in before.items() if p == 1}
    top_changed = any(p == 1 and o not in top_before for o, p in after.items())
    return top_changed, order_changed, ties_broken


def _integers(weights: Mapping[str, Fraction]) -> dict[str, int]:
    """The same weights as whole numbers in the same proportions (speed: exact integer
    sums instead of fractions whose denominators grow)."""
    scale = math.lcm(*(Fraction(w).denominator for w in weights.values()))
    return {c: int(Fraction(w) * scale) for c, w in weights.items()}


def _ranking_for(
    inputs: Inputs, weights: dict[str, int]
) -> tuple[dict[str, dict[str, Fraction]], dict[str, Fraction], list[Ranked]]:
    """Weighted scores and ranking for whole-number ``weights`` (any positive scale)."""
    total = sum(weights.values())
    sums = {
        panel: {o: sum(w * cells[(o, c)] for c, w in weights.items()) for o in inputs.options}
        for panel, cells in inputs.scores.items()
    }
    panel_scores = {
        panel: {o: Fraction(v, total) for o, v in by_option.items()}
        for panel, by_option in sums.items()
    }
    n = len(sums) * total
    combined = {o: Fraction(sum(by[o] for by in sums.values()), n) for o in inputs.options}
    return panel_scores, combined, rank(combined, inputs.options)


def appraise(inputs: Inputs) -> Result:
    """The ranking and its sensitivity; ``Incomplete`` if it cannot be worked out yet."""
    found, missing = problems(inputs)
    if found:
        raise Incomplete(found, missing)
    raw = _integers({c: Fraction(inputs.weights[c]) for c in inputs.criteria})
    panel_scores, combined, ranking = _ranking_for(inputs, raw)
    rows: list[Sensitivity] = []
    for criterion in inputs.criteria:
        for change in (-SENSITIVITY, SENSITIVITY):
            # Scaled by 1 / SENSITIVITY so that the moved weight stays a whole number.
            factor = 1 / SENSITIVITY
            moved = {c: int(w * factor) for c, w in raw.items()}
            moved[criterion] = int(raw[criterion] * (1 + change) * factor)
            _, _, new_ranking = _ranking_for(inputs, moved)
            top_changed, order_changed, ties_broken = _compare(ranking, new_ranking)
            rows.append(
                Sensitivity(
                    criterion=criterion,
                    change=change,
                    weights=normalise(moved),
                    ranking=new_ranking,
                    top_changed=top_changed,
                    order_changed=order_changed,
                    ties_broken=ties_broken,
                )
            )
    return Result(
        weights=normalise(raw),
        panel_scores=panel_scores,
        combined=combined,
        ranking=ranking,
        sensitivity=rows,
    )
