"""Pure rules of analysis (no Django): the run lifecycle, agreement between people and
the machine. (Small-number suppression is heard.core.suppression.) Tested fast in tests/test_domain.py."""

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


# Which status a run may move to from each status. A finished run is never reopened: to
# analyse again, start a new run (the question keeps every run for the record).
TRANSITIONS: dict[RunStatus, frozenset[RunStatus]] = {
    RunStatus.QUEUED: frozenset({RunStatus.RUNNING, RunStatus.FAILED}),
    RunStatus.RUNNING: frozenset({RunStatus.DONE, RunStatus.FAILED}),
    RunStatus.DONE: frozenset(),
    RunStatus.FAILED: frozenset(),
}
ACTIVE = frozenset({RunStatus.QUEUED, RunStatus.RUNNING})
# A run still waiting or running after this long was abandoned (a real run of 100,000
# answers takes minutes): a new run may replace it.
ABANDONED_AFTER = timedelta(hours=2)


class TransitionNotAllowed(ValueError):
    """A run cannot move from its status to the one asked for."""


def check_transition(current: str, target: str) -> None:
    if RunStatus(target) not in TRANSITIONS[RunStatus(current)]:
        raise TransitionNotAllowed(f"An analysis run cannot go from {current} to {target}.")


# People must have coded at least this many answers before the classifier learns from
# them; below it, the classifier learns from the proposed codeframe's grouping.
MIN_PEOPLE_CODED = 20
# How many answers the active learner proposes to code next.
CODE_NEXT = 20
# The most answers the classifier learns from when it learns from the machine's own
# grouping (proposed or current themes, not people's codes): a fixed sample of a large
# consultation teaches it as much, in bounded time and memory.
MAX_MACHINE_TRAINING = 20_000


def training_sample(n: int, limit: int, seed: int) -> list[int]:
    """Indices of at most ``limit`` of ``n`` items, the same for the same seed, in order."""
    if n <= limit:
        return list(range(n))
    return sorted(random.Random(seed).sample(range(n), limit))  # noqa: S311 - not for secrets


def percent(done: int, total: int) -> int:
    if total <= 0:
        return 0
    return max(0, min(100, math.floor(100 * done / total)))


@dataclass(frozen=True)
class Agreement:
    """Agreement between people and the machine on one theme, over answers both coded."""

    theme: str
    answers: int  # answers both coded
    both: int  # both said the theme applies
    machine_only: int
    people_only: int
    neither: int

    @property
    def percent(self) -> float | None:
        if not self.answers:
            return None
        return round(100 * (self.both + self.neither) / self.answers, 1)

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa; None when it is undefined (no answers, or chance agreement 1)."""
        n = self.answers
        if not n:
            return None
        observed = (self.both + self.neither) / n
        machine_yes = (self.both + self.machine_only) / n
        people_yes = (self.both + self.people_only) / n
        expected = machine_yes * people_yes + (1 - machine_yes) * (1 - people_yes)
        if math.isclose(expected, 1.0):
            return None
        return round((observed - expected) / (1 - expected), 2)


def agreement(theme: str, pairs: Iterable[tuple[bool, bool]]) -> Agreement:
    """``pairs``: for each answer both coded, (machine said theme, people said theme)."""
    both = machine_only = people_only = neither = 0
    for machine, people in pairs:
        if machine and people:
            both += 1
        elif machine:
            machine_only += 1
        elif people:
            people_only += 1
        else:
            neither += 1
    return Agreement(
        theme=theme,
        answers=both + machine_only + people_only + neither,
        both=both,
        machine_only=machine_only,
        people_only=people_only,
        neither=neither,
    )
