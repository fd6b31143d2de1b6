"""Ways a group was engaged that apps above ``insight`` know about (meetings, events…).

The coverage dashboard's "groups not engaged" counts every way a group was engaged over
the chosen period. Activities (audience groups), invitations to its members and
responses made on its behalf are read here; apps above (``groups``: meetings held; an
events app: events for the group) register a provider in their ``AppConfig.ready``:

    from heard.insight import coverage_hooks
    coverage_hooks.register(my_provider)  # my_provider(since, until) -> [GroupEngagement]
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class GroupEngagement:
    group_id: int  # a people.Group
    way: str  # plain words, plural: "Meetings held", "Events for the group"
    count: int


Provider = Callable[[date, date], Iterable[GroupEngagement]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def gathered(since: date, until: date) -> list[GroupEngagement]:
    """Every registered provider's counts for the period ``since``..``until`` (inclusive)."""
    found: list[GroupEngagement] = []
    for provider in _providers:
        found.extend(e for e in provider(since, until) if e.count > 0)
    return found
