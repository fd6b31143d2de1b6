"""Extension points for the apps above proposals (assessment, consultations, outcomes).

proposals may not import them, so they register in ``AppConfig.ready``:

    from heard.servicechange.proposals import hooks
    hooks.register_facts(my_facts)      # my_facts(proposal) -> dict of ProposalFacts fields
    hooks.register_timeline(my_events)  # my_events(proposal) -> list[TimelineEntry]
    hooks.register_links(my_links)      # my_links(proposal, user) -> list[ProposalLink]
    hooks.register_public_sections(fn)  # fn(proposal) -> list[ProposalLink], public page

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


@dataclass(frozen=True)
class ProposalLink:
    """A part of the proposal's work kept by an app above (options, significance,
    consultation, outcome…), shown on the proposal's staff page."""

    title: str
    url: str
    summary: str = ""
    status: str = ""  # a short status tag, e.g. "Done", "Not started", "Failing checks"


LinksProvider = Callable[[Any, Any], list[ProposalLink]]
_links: list[LinksProvider] = []


def register_links(provider: LinksProvider) -> None:
    """``provider(proposal, user)`` -> the links that user may follow."""
    if provider not in _links:
        _links.append(provider)


def contributed_links(proposal: Any, user: Any) -> list[ProposalLink]:
    return [link for provider in _links for link in provider(proposal, user)]


PublicSectionsProvider = Callable[[Any], list[ProposalLink]]
_public_sections: list[PublicSectionsProvider] = []


def register_public_sections(provider: PublicSectionsProvider) -> None:
    """``provider(proposal)`` -> sections shown on the proposal's PUBLIC page (the
    consultation, "you said, we did"…). Only called for proposals the public may see;
    return only what is published."""
    if provider not in _public_sections:
        _public_sections.append(provider)


def contributed_public_sections(proposal: Any) -> list[ProposalLink]:
    return [link for provider in _public_sections for link in provider(proposal)]
