"""A person's history, gathered from every app that knows something about them.

Apps above ``people`` (involvement, engagement…) may not be imported from here, so they
register a provider instead, in their ``AppConfig.ready``:

    from heard.people import history
    history.register(my_provider)   # my_provider(member) -> list[HistoryItem]

The staff person page shows ``history_for(member)``, newest first.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from heard.people.models import Member


@dataclass(frozen=True)
class HistoryItem:
    when: datetime
    kind: str  # short label, e.g. "Invitation", "Group", "Consent"
    text: str  # plain words, e.g. "Invited to: Stroke services workshop (accepted)"
    url: str = ""


Provider = Callable[[Member], list[HistoryItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def history_for(member: Member) -> list[HistoryItem]:
    items: list[HistoryItem] = []
    for provider in _providers:
        items.extend(provider(member))
    return sorted(items, key=lambda item: item.when, reverse=True)
