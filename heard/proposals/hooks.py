"""Extension points for the apps above proposals (assessment, consultations, outcomes).

proposals may not import them, so they register in ``AppConfig.ready``:

    from heard.proposals import hooks
    hooks.register_facts(my_facts)      # my_facts(proposal) -> dict of ProposalFacts fields
    hooks.register_timeline(my_events)  # my_events(proposal) -> list[TimelineEntry]

``collect_facts`` merges what every provider returns into the proposal's own facts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FactsProvider = Callable[[Any], dict[str, Any]]
_facts: list[FactsProvider] = []


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    detail: str = ""
    url: str = ""


TimelineProvider = Callable[[Any], list[TimelineEntry]]
_timeline: list[TimelineProvider] = []


def register_facts(provider: FactsProvider) -> None:
    if provider not in _facts:
        _facts.append(provider)


def register_timeline(provider: TimelineProvider) -> None:
    if provider not in _timeline:
        _timeline.append(provider)


def contributed_facts(proposal: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for provider in _facts:
        merged.update(provider(proposal))
    return merged


def contributed_timeline(proposal: Any) -> list[TimelineEntry]:
    return [entry for provider in _timeline for entry in provider(proposal)]
