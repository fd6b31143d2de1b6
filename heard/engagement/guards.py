"""Extra lifecycle guards registered by apps above engagement.

A formal consultation is an engagement activity, but whether it may open is decided by
the consultations app (the Gunning checks). engagement may not import that app, so it
registers a guard in ``AppConfig.ready``:

    from heard.engagement import guards
    guards.register(my_guard)   # my_guard(activity, target_status, now, by_clock) -> list[str]

``activity_transition`` refuses the move if any guard returns a problem, whoever asks
(a person or the clock). Guards only read.

What must follow a move in the same transaction (the proposal moving to "formal
consultation" when its consultation opens) is a consequence, registered the same way:

    guards.register_consequence(fn)   # fn(activity, target_status, actor) -> None

It runs after the move is saved, with the person (or Heard's clock) who made the move,
so what it records is theirs. A consequence that cannot be carried out raises
``ConsequenceRefused`` with its reasons: the move is then refused and nothing is kept.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

TransitionGuard = Callable[[Any, str, datetime, bool], list[str]]
_guards: list[TransitionGuard] = []


def register(guard: TransitionGuard) -> None:
    if guard not in _guards:
        _guards.append(guard)


def problems(activity: Any, target: str, now: datetime, by_clock: bool) -> list[str]:
    return [problem for guard in _guards for problem in guard(activity, target, now, by_clock)]


Consequence = Callable[[Any, str, Any], None]
_consequences: list[Consequence] = []


class ConsequenceRefused(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def register_consequence(consequence: Consequence) -> None:
    if consequence not in _consequences:
        _consequences.append(consequence)


def follow_through(activity: Any, target: str, actor: Any) -> None:
    """Carry out every consequence of the move just saved (inside its transaction)."""
    for consequence in _consequences:
        consequence(activity, target, actor)
