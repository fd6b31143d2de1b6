"""Demo data for involvement opportunities (called by `manage.py demo_load`).

Six opportunities across the year with invitations and realistic answers, so that the
reach and participation pages show real spread. Runs after the people demo; creates
nothing if there are no members. Idempotent: opportunities are matched by title.

The opportunities are made, opened and closed with the services staff use
(``opportunity_create``, ``opportunity_transition``), and the representative samples
drawn with ``sample_draw``; the invitations themselves are written directly (see
``_invite``): they were sent and answered weeks ago, which no service does.
"""

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.demo.staff import demo_staff
from heard.involvement.models import Invitation, Opportunity, SampleRun
from heard.involvement.selectors import BUILT_IN_KEY, Criteria, members_matching
from heard.involvement.services import opportunity_create, opportunity_transition, sample_draw
from heard.people.models import Member, Topic

OFFICER_EMAIL = "officer@demo.heard.example"

# title, summary, days from today, where, place, time asked, payment, places, status,
# topic slugs, invitations to send, share accepting, representative sample?
OPPORTUNITIES: list[dict[str, Any]] = [
    {
        "title": "Stroke services reference group",
        "summary": "Meet quarterly to help shape stroke rehabilitation and community support.",
        "days": -420,
        "where_kind": Opportunity.Where.IN_PERSON,
        "place": "County Hall, Norwich",
        "time_asked": "2 hours, four times a year",
        "payment": Opportunity.Payment.EXPENSES,
        "places": 12,
        "status": Opportunity.Status.CLOSED,
        "topics": ["hospital-services", "community-services"],
        "invite": 60,
        "accept": 0.3,
        "sample": False,
    },
    {
        "title": "Maternity co-design workshop",
        "summary": "Redesign antenatal classes with midwives and recent parents.",
        "days": -160,
        "where_kind": Opportunity.Where.HYBRID,
        "place": "Norfolk and Norwich University Hospital, or online",
        "time_asked": "Half a day",
        "payment": Opportunity.Payment.VOUCHER,
        "places": 15,
        "status": Opportunity.Status.CLOSED,
        "topics": ["maternity"],
        "invite": 45,
        "accept": 0.4,
        "sample": False,
    },
    {
        "title": "Mental health crisis care focus group",
        "summary": "Tell us what helps, and what does not, when you or someone close is in crisis.",
        "days": -90,
        "where_kind": Opportunity.Where.ONLINE,
        "place": "Microsoft Teams",
        "time_asked": "90 minutes",
        "payment": Opportunity.Payment.PAID,
        "places": 10,
        "status": Opportunity.Status.CLOSED,
        "topics": ["mental-health"],
        "invite": 40,
        "accept": 0.25,
        "sample": True,
    },
    {
        "title": "Readers' panel for patient leaflets",
        "summary": "Read draft leaflets and letters and tell us if they make sense.",
        "days": -30,
        "where_kind": Opportunity.Where.ONLINE,
        "place": "By email",
        "time_asked": "About 1 hour a month",
        "payment": Opportunity.Payment.NONE,
        "places": 20,
        "status": Opportunity.Status.OPEN,
        "topics": ["health-inequalities"],
        "invite": 80,
        "accept": 0.35,
        "sample": False,
    },
    {
        "title": "Digital inclusion drop-in",
        "summary": "Help us understand what stops people using the NHS App and online services.",
        "days": 21,
        "where_kind": Opportunity.Where.IN_PERSON,
        "place": "Great Yarmouth library",
        "time_asked": "1 hour",
        "payment": Opportunity.Payment.EXPENSES,
        "places": 25,
        "status": Opportunity.Status.OPEN,
        "topics": ["digital-services"],
        "invite": 70,
        "accept": 0.2,
        "sample": True,
    },
    {
        "title": "GP access survey design group",
        "summary": "Help write a survey about getting a GP appointment, before it goes out.",
        "days": 60,
        "where_kind": Opportunity.Where.ONLINE,
        "place": "Online",
        "time_asked": "Two 1-hour sessions",
        "payment": Opportunity.Payment.VOUCHER,
        "places": 10,
        "status": Opportunity.Status.DRAFT,
        "topics": ["gp-and-primary-care"],
        "invite": 0,
        "accept": 0.0,
        "sample": False,
    },
]


def load(out: Any = None) -> dict[str, int]:
    """Create the demo opportunities and invitations if missing; return what was created."""
    if not Member.objects.filter(status=Member.Status.ACTIVE).exists():
        return {}
    rng = random.Random(2027)  # noqa: S311 - demo data, reproducible
    made = {"opportunities": 0, "invitations": 0, "samples": 0}
    now = timezone.now()
    pool_ids = list(members_matching(Criteria()).order_by("pk").values_list("pk", flat=True))
    if not pool_ids:
        return {}
    # Some keen members are asked again and again; many never: that is the point to show.
    keen = rng.sample(pool_ids, min(25, len(pool_ids)))
    actor = demo_staff(OFFICER_EMAIL)
    with transaction.atomic():
        for spec in OPPORTUNITIES:
            if Opportunity.objects.filter(title=spec["title"]).exists():
                continue
            starts = now + timedelta(days=spec["days"])
            opportunity = opportunity_create(
                actor=actor,
                fields={
                    "title": spec["title"],
                    "summary": spec["summary"],
                    "details": "You will be with a small group and a facilitator from our team.",
                    "starts_at": starts.replace(hour=18, minute=0, second=0, microsecond=0),
                    "ends_at": starts.replace(hour=20, minute=0, second=0, microsecond=0),
                    "reply_by": (starts - timedelta(days=7)).date(),
                    "where_kind": spec["where_kind"],
                    "place": spec["place"],
                    "time_asked": spec["time_asked"],
                    "payment": spec["payment"],
                    "payment_details": "Travel at 45p a mile, parking and care costs.",
                    "who_wanted": "People with recent experience, and people we seldom hear from.",
                    "places": spec["places"],
                },
                topics=Topic.objects.filter(slug__in=spec["topics"]),
            )
            for step in (Opportunity.Status.OPEN, Opportunity.Status.CLOSED):
                if spec["status"] == Opportunity.Status.DRAFT:
                    break
                opportunity_transition(actor=actor, opportunity=opportunity, to=step)
                if spec["status"] == step:
                    break
            made["opportunities"] += 1
            if not spec["invite"]:
                continue
            sent_at = starts - timedelta(days=28)
            run = None
            if spec["sample"]:
                run = _demo_sample(opportunity, spec["invite"], rng, actor)
                chosen = run.selected
                made["samples"] += 1
            else:
                extra = rng.sample(pool_ids, min(spec["invite"], len(pool_ids)))
                chosen = list(dict.fromkeys(rng.sample(keen, min(15, len(keen))) + extra))
                chosen = chosen[: spec["invite"]]
            invitations = []
            for member_id in chosen:
                status = Invitation.Status.INVITED
                answered = None
                if sent_at < now:
                    roll = rng.random()
                    if roll < spec["accept"]:
                        status = Invitation.Status.ACCEPTED
                    elif roll < spec["accept"] + 0.45:
                        status = Invitation.Status.DECLINED
                    if status != Invitation.Status.INVITED:
                        answered = sent_at + timedelta(days=rng.randint(0, 10))
                invitations.append(
                    Invitation(
                        opportunity=opportunity,
                        member_id=member_id,
                        status=status,
                        via=Invitation.Via.SAMPLE if run else Invitation.Via.CRITERIA,
                        sample_run=run,
                        sent_at=sent_at,
                        emailed_at=sent_at,
                        answered_at=answered,
                        reminded_at=sent_at + timedelta(days=7)
                        if status == Invitation.Status.INVITED and sent_at < now
                        else None,
                    )
                )
            # invitations_send would email each of them now; these were sent (and answered,
            # through links no demo can click) weeks ago: the demo's history, written directly.
            Invitation.objects.bulk_create(invitations, ignore_conflicts=True)
            if run is not None:
                SampleRun.objects.filter(pk=run.pk).update(invited_at=sent_at)
            made["invitations"] += len(invitations)
    if out is not None and made["opportunities"]:
        out.write(
            f"Involvement: {made['opportunities']} opportunities, {made['invitations']} invitations"
        )
    return {k: v for k, v in made.items() if v}


def _demo_sample(
    opportunity: Opportunity, size: int, rng: random.Random, actor: User | None
) -> SampleRun:
    """A representative sample by sex and age and by ethnic group, drawn as staff draw it."""
    return sample_draw(
        actor=actor,
        opportunity=opportunity,
        criteria=Criteria(),
        size=size,
        dimensions=["sex_age", "ethnic_group"],
        population_key=BUILT_IN_KEY,
        seed=rng.randint(1, 10**6),
    )
