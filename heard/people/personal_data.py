"""Everything about a person, gathered from (and erased in) every app that holds some.

"Download my data" (right of access) and erasure cover the membership record here in
``people``; apps above ``people`` (engagement, events, involvement, follow…) may not be
imported from here, so each registers a section in its ``AppConfig.ready``:

    from heard.people import personal_data
    personal_data.register("bookings", export=my_export, erase=my_erase)

``export(member)`` returns JSON-able data (a list of rows, usually) for the download;
``erase(member, actor)`` erases or anonymises that data and returns how many rows it
touched. Erasers run inside ``member_erase``'s transaction, before the member's own
name and email address are blanked, so they can still find what is linked by email.
Each keeps aggregate counts where the app needs them (see docs/record-of-processing.md).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from heard.people.models import Member

Exporter = Callable[[Member], Any]
Eraser = Callable[[Member, Any], int]


@dataclass(frozen=True)
class Section:
    name: str
    export: Exporter
    erase: Eraser


_sections: dict[str, Section] = {}


def register(name: str, *, export: Exporter, erase: Eraser) -> None:
    """Register (or replace, when an app is loaded again) the section called ``name``."""
    _sections[name] = Section(name=name, export=export, erase=erase)


def sections() -> list[Section]:
    return [_sections[name] for name in sorted(_sections)]


def export_all(member: Member) -> dict[str, Any]:
    """Each registered section's data about ``member``, by section name."""
    return {section.name: section.export(member) for section in sections()}


def erase_all(member: Member, actor: Any = None) -> dict[str, int]:
    """Erase ``member``'s data in every registered section; how many rows, by section.
    The caller holds the transaction (``member_erase``)."""
    return {section.name: section.erase(member, actor) for section in sections()}
