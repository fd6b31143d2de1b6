"""Writes for following: ask (double opt-in), confirm, unsubscribe, and the run that
tells followers what changed. Each with its audit event; mail after the commit."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.mail import mail_render, mail_send_on_commit
from heard.engagement.models import Activity
from heard.servicechange.follow import domain
from heard.servicechange.follow.models import Follow, Follower, Notification, Snapshot
from heard.servicechange.proposals.models import ProposalActivity
from heard.servicechange.proposals.selectors import public_proposals

CONFIRM_SALT = "heard.servicechange.follow.confirm"
UNSUBSCRIBE_SALT = "heard.servicechange.follow.unsubscribe"
CONFIRM_MAX_AGE = 3 * 24 * 60 * 60  # seconds
CONFIRMATIONS_PER_ADDRESS_PER_HOUR = 3


class LinkExpired(ValueError):
    pass


class LinkInvalid(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    kind: str
    key: str
    label: str


# --- Ask, confirm, unsubscribe ---------------------------------------------------------


def follow_request(
    *, email: str, targets: list[Target], base_url: str, frequency: str = "now"
) -> Follower:
    """Record what someone asks to follow and email them a link to confirm it. Nothing
    is sent to them until they confirm (double opt-in)."""
    email = email.strip().lower()
    if not targets:
        raise ValueError("nothing to follow")
    with transaction.atomic():
        follower, _ = Follower.objects.get_or_create(email=email)
        if frequency not in Follower.Frequency.values:
            raise ValueError("unknown frequency")
        # The frequency is taken as asked only on confirmation (it rides in the link).
        pending: list[int] = []
        for t in targets:
            follow, _ = Follow.objects.get_or_create(
                follower=follower, kind=t.kind, key=t.key, defaults={"label": t.label}
            )
            if follow.confirmed_at is None or follower.unsubscribed_at is not None:
                pending.append(follow.pk)
        audit_record(
            action=Action.FOLLOW_REQUESTED,
            subject=follower,
            after={"follows": [f"{t.kind}:{t.key}" for t in targets]},
        )
        if not _confirmation_allowed(follower.pk):
            return follower  # no more mail to this address this hour (no one is flooded)
        token = signing.dumps({"f": follower.pk, "p": pending, "q": frequency}, salt=CONFIRM_SALT)
        mail_send_on_commit(
            to=[email],
            template="follow/email/confirm",
            context={
                "targets": targets,
                "confirm_url": base_url + reverse("follow:confirm", args=[token]),
            },
        )
    return follower


def _confirmation_allowed(follower_id: int) -> bool:
    key = f"follow:confirmations:{follower_id}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        sent = 1
    return sent <= CONFIRMATIONS_PER_ADDRESS_PER_HOUR


def _load(token: str, salt: str, max_age: int | None) -> dict[str, Any]:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired("expired") from None
    except signing.BadSignature:
        raise LinkInvalid("bad signature") from None
    if not isinstance(data, dict) or not isinstance(data.get("f"), int):
        raise LinkInvalid("bad payload")
    return data


def confirm_check(token: str) -> tuple[Follower, list[Follow]]:
    data = _load(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    follower = Follower.objects.filter(pk=data["f"]).first()
    if follower is None:
        raise LinkInvalid("no such follower")
    return follower, list(follower.follows.filter(pk__in=data.get("p") or []))


def follow_confirm(*, token: str) -> list[Follow]:
    """Confirm the follows a link was sent for; raises LinkExpired or LinkInvalid."""
    follower, follows = confirm_check(token)
    frequency = str(_load(token, CONFIRM_SALT, CONFIRM_MAX_AGE).get("q") or "now")
    if frequency not in Follower.Frequency.values:
        frequency = Follower.Frequency.AS_IT_HAPPENS
    now = timezone.now()
    with transaction.atomic():
        updates: dict[str, Any] = {"unsubscribed_at": None, "frequency": frequency}
        if frequency != Follower.Frequency.AS_IT_HAPPENS and follower.last_digest_at is None:
            updates["last_digest_at"] = now  # the first digest comes a day (or week) on
        Follower.objects.filter(pk=follower.pk).update(**updates)
        Follow.objects.filter(pk__in=[f.pk for f in follows], confirmed_at__isnull=True).update(
            confirmed_at=now
        )
        audit_record(
            action=Action.FOLLOW_CONFIRMED, subject=follower, after={"follows": len(follows)}
        )
    return follows


def unsubscribe_token(follower: Follower) -> str:
    return signing.dumps({"f": follower.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_check(token: str) -> Follower:
    data = _load(token, UNSUBSCRIBE_SALT, None)
    follower = Follower.objects.filter(pk=data["f"]).first()
    if follower is None:
        raise LinkInvalid("no such follower")
    return follower


def follower_unsubscribe(*, token: str) -> Follower:
    """Stop everything: every follow is removed. Works without signing in, and twice."""
    follower = unsubscribe_check(token)
    with transaction.atomic():
        removed, _ = follower.follows.all().delete()
        follower.notifications.filter(sent_at__isnull=True).delete()  # a waiting digest
        if follower.unsubscribed_at is None:
            follower.unsubscribed_at = timezone.now()
            follower.save(update_fields=["unsubscribed_at"])
        audit_record(
            action=Action.FOLLOW_UNSUBSCRIBED, subject=follower, after={"removed": removed}
        )
    return follower


# --- The run: tell followers what changed ----------------------------------------------


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def _activity_state(a: Activity) -> dict[str, Any]:
    return {
        "status": a.status,
        "opens_at": _iso(a.opens_at),
        "closes_at": _iso(a.closes_at),
        "event_starts_at": _iso(a.event_starts_at),
    }


@dataclass(frozen=True)
class News:
    change: domain.Change
    title: str
    url: str
    what: str


def _active_follows() -> Any:
    return Follow.objects.filter(
        confirmed_at__isnull=False, follower__unsubscribed_at__isnull=True
    ).select_related("follower")


def notify_run(*, base_url: str, now: datetime | None = None) -> int:
    """Compare what is public with the last run, and email each follower of a changed
    thing once per change (one email per follower per run). Returns emails queued."""
    now = now or timezone.now()
    with transaction.atomic():
        snapshots = {(s.kind, s.object_id): s for s in Snapshot.objects.select_for_update()}
        baseline = not snapshots
        news_for: dict[int, list[News]] = defaultdict(list)
        followers: dict[int, Follower] = {}

        def remember(kind: str, pk: int, state: dict[str, Any]) -> dict[str, Any] | None:
            old = snapshots.get((kind, pk))
            if old is None:
                Snapshot.objects.create(kind=kind, object_id=pk, state=state, seen_at=now)
                return None
            if old.state != state:
                previous = dict(old.state)
                old.state, old.seen_at = state, now
                old.save(update_fields=["state", "seen_at"])
                return previous
            return old.state

        activities = Activity.objects.exclude(status=Activity.Status.DRAFT).prefetch_related(
            "topics", "audience_groups", "localities"
        )
        for a in activities:
            state = _activity_state(a)
            previous = remember("activity", a.pk, state)
            if baseline or previous == state:
                continue
            changes = domain.activity_changes(a.pk, previous, state)
            if not changes:
                continue
            proposal_ids = ProposalActivity.objects.filter(activity=a).values_list(
                "proposal_id", flat=True
            )
            who = _active_follows().filter(
                Q(kind=Follow.Kind.TOPIC, key__in=[str(t.pk) for t in a.topics.all()])
                | Q(kind=Follow.Kind.GROUP, key__in=[str(g.pk) for g in a.audience_groups.all()])
                | Q(kind=Follow.Kind.AREA, key__in=[p.name for p in a.localities.all()])
                | Q(kind=Follow.Kind.PROPOSAL, key__in=[str(p) for p in proposal_ids])
            )
            url = base_url + reverse("engagement_public:activity", args=[a.slug])
            for follow in who:
                followers[follow.follower_id] = follow.follower
                for change in changes:
                    news_for[follow.follower_id].append(
                        News(change, a.title, url, domain.WHAT_HAPPENED[change.kind])
                    )
        for p in public_proposals():
            state = {"status": p.status}
            previous = remember("proposal", p.pk, state)
            if baseline or previous == state:
                continue
            changes = domain.proposal_changes(p.pk, previous, state)
            if not changes:
                continue
            who = _active_follows().filter(
                Q(kind=Follow.Kind.PROPOSAL, key=str(p.pk))
                | Q(kind=Follow.Kind.TOPIC, key__in=[str(t.pk) for t in p.topics.all()])
            )
            url = base_url + reverse("proposals_public:detail", args=[p.slug])
            for follow in who:
                followers[follow.follower_id] = follow.follower
                for change in changes:
                    news_for[follow.follower_id].append(
                        News(change, p.title, url, domain.WHAT_HAPPENED[change.kind])
                    )
        sent = 0
        for follower_id, items in news_for.items():
            follower = followers[follower_id]
            fresh = _record(follower, items, now)
            if fresh and follower.frequency == Follower.Frequency.AS_IT_HAPPENS:
                _send(follower, fresh, base_url, now)
                sent += 1
        sent += _digests_due(base_url=base_url, now=now)
        if sent or not baseline:
            audit_record(
                action=Action.FOLLOW_NOTIFIED, after={"emails": sent, "baseline": baseline}
            )
    return sent


DIGEST_EVERY = {
    Follower.Frequency.DAILY: timedelta(days=1),
    Follower.Frequency.WEEKLY: timedelta(days=7),
}


def _record(follower: Follower, items: list[News], now: datetime) -> list[Notification]:
    """The news this follower has not been told of yet, recorded (so never twice)."""
    fresh: list[Notification] = []
    seen: set[str] = set()
    for item in items:
        key = item.change.key
        if key in seen:
            continue  # followed through two routes (a topic and an area…): once
        seen.add(key)
        try:
            with transaction.atomic():
                fresh.append(
                    Notification.objects.create(
                        follower=follower,
                        key=key,
                        title=item.title[:250],
                        url=item.url[:500],
                        what=item.what,
                        created_at=now,
                    )
                )
        except IntegrityError:
            continue  # told already
    return fresh


def _send(follower: Follower, items: list[Notification], base_url: str, now: datetime) -> None:
    unsubscribe = base_url + reverse("follow:unsubscribe", args=[unsubscribe_token(follower)])
    message = mail_render(
        to=[follower.email],
        template="follow/email/news",
        context={
            "items": items,
            "digest": follower.frequency != Follower.Frequency.AS_IT_HAPPENS,
            "unsubscribe_url": unsubscribe,
        },
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    Notification.objects.filter(pk__in=[n.pk for n in items]).update(sent_at=now)
    transaction.on_commit(message.send)


def _digests_due(*, base_url: str, now: datetime) -> int:
    """Send each digest follower whose day (or week) is up what has waited for them."""
    sent = 0
    waiting = (
        Follower.objects.filter(
            unsubscribed_at__isnull=True,
            frequency__in=list(DIGEST_EVERY),
            notifications__sent_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )
    for follower in waiting:
        every = DIGEST_EVERY[Follower.Frequency(follower.frequency)]
        if follower.last_digest_at and now - follower.last_digest_at < every:
            continue
        items = list(follower.notifications.filter(sent_at__isnull=True).order_by("created_at"))
        _send(follower, items, base_url, now)
        follower.last_digest_at = now
        follower.save(update_fields=["last_digest_at"])
        sent += 1
    return sent
