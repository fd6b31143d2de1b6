"""What counts as news for someone following something: pure, no Django.

Each run compares what is public now with what the last run saw (a snapshot per activity
and proposal) and names the changes: an activity opened, changed its dates, or published
"you said, we did"; a proposal was decided. The first run only takes the snapshot, so
nothing already true is announced as news.
"""

from dataclasses import dataclass
from typing import Any

ACTIVITY_DATE_FIELDS = ("opens_at", "closes_at", "event_starts_at")


@dataclass(frozen=True)
class Change:
    kind: str  # "opened" | "dates" | "feedback" | "decided"
    key: str  # unique per change: a follower is told of it once


def activity_changes(pk: int, old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    old = old or {}
    changes: list[Change] = []
    if new.get("status") == "open" and old.get("status") != "open":
        changes.append(Change("opened", f"activity:{pk}:opened"))
    if new.get("status") == "feedback_published" and old.get("status") != "feedback_published":
        changes.append(Change("feedback", f"activity:{pk}:feedback"))
    if (
        old
        and new.get("status") not in ("archived", "feedback_published")
        and any(old.get(f) != new.get(f) for f in ACTIVITY_DATE_FIELDS)
    ):
        stamp = "|".join(str(new.get(f) or "") for f in ACTIVITY_DATE_FIELDS)
        changes.append(Change("dates", f"activity:{pk}:dates:{stamp}"))
    return changes


def proposal_changes(pk: int, old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    if new.get("status") == "decided" and (old or {}).get("status") != "decided":
        return [Change("decided", f"proposal:{pk}:decided")]
    return []


WHAT_HAPPENED = {
    "opened": "is open: you can take part now",
    "dates": "has changed its dates",
    "feedback": "has published what became of what people said (you said, we did)",
    "decided": "has been decided",
}
