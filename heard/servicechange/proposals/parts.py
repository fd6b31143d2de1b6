"""What each stage of a service change shows on the proposal's pages: typed entries of
its timeline and links to its parts. The lifecycle (``heard.servicechange.lifecycle``)
asks each stage for them directly and puts them on the proposal's staff and public pages.
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class ProposalLink:
    """A part of the proposal's work kept by a stage (options, significance,
    consultation, outcome…), shown on the proposal's staff page – or, for a public
    section, on its public page (only what is published)."""

    title: str
    url: str
    summary: str = ""
    status: str = ""  # a short status tag, e.g. "Done", "Not started", "Failing checks"
