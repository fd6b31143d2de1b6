"""Demo: the Stroke Services Reference Group run all year, built through the services.

Called by ``manage.py demo_load`` after the insight demo; idempotent (nothing is done if
the group is already set up). Terms of reference, a chair (named publicly with consent),
a staff lead, members; one past meeting with an agenda, a paper, attendance, approved and
published minutes, what the group said (into the insight bank), a decision and actions;
one meeting coming up.
"""

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from heard.accounts.models import User
from heard.core.pdf import html_to_pdf
from heard.groups import services
from heard.groups.models import StandingGroup
from heard.people.models import Group, GroupMembership, Topic

GROUP_NAME = "Stroke Services Reference Group"
SUMMARY = (
    "People who have had a stroke and the people who care for them, meeting every two "
    "months to advise the ICB on stroke services: from the ambulance to life at home "
    "afterwards. The group reads plans early, tests information leaflets and tells us "
    "what works and what does not."
)
TERMS = """Purpose
To give people with lived experience of stroke, and their carers, a say in how stroke services in Norfolk and Waveney are planned, changed and checked.

Membership
Up to 15 people with lived experience of stroke or caring for someone after a stroke, a chair chosen by the members for two years, and a staff lead from the ICB's engagement team.

How we work
We meet six times a year, in person with a link to join online. Papers are sent a week before. Decisions are made by agreement; where we cannot agree, the minutes say so.

Reporting
What the group says is recorded in the minutes, added to the ICB's insight bank and reported to the stroke programme board. The ICB tells the group what it did with the advice."""


def load(out: Any = None) -> dict[str, int]:
    group = Group.objects.filter(name=GROUP_NAME).first()
    officer = User.objects.filter(email="officer@demo.heard.example").first()
    if group is None or officer is None or StandingGroup.objects.filter(group=group).exists():
        return {}
    today = timezone.localdate()
    sg = services.standing_group_set_up(
        actor=officer, group=group, public=True, public_summary=SUMMARY, meets="Every two months"
    )
    services.terms_of_reference_record(
        actor=officer,
        sg=sg,
        text=TERMS,
        agreed_on=today - timedelta(days=120),
        review_on=today + timedelta(days=245),
    )
    memberships = list(
        GroupMembership.objects.filter(group=group).select_related("member").order_by("pk")[:8]
    )
    start = today - timedelta(days=200)
    terms = []
    for index, membership in enumerate(memberships):
        chair = index == 0
        terms.append(
            services.membership_term_add(
                actor=officer,
                sg=sg,
                role="chair" if chair else "member",
                member=membership.member,
                starts_on=start,
                ends_on=start + timedelta(days=730) if chair else None,
                named_publicly=chair,
            )
        )
    lead = services.membership_term_add(
        actor=officer, sg=sg, role="staff_lead", user=officer, starts_on=start
    )

    held_at = (timezone.now() - timedelta(days=30)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    past = services.meeting_save(
        actor=officer,
        sg=sg,
        title="Autumn meeting: stroke rehabilitation at home",
        starts_at=held_at,
        ends_at=held_at + timedelta(hours=2),
        place="County Hall, Martineau Lane, Norwich NR1 2DH",
        link="https://meet.demo.heard.example/stroke-reference-group",
    )
    for title in (
        "Welcome, apologies and notes of the last meeting",
        "Early supported discharge: the draft plan",
        "Information leaflet: life after stroke",
        "Any other business",
    ):
        services.agenda_item_add(actor=officer, meeting=past, title=title)
    pdf = html_to_pdf(
        "<html lang='en'><head><title>Early supported discharge</title></head><body>"
        "<h1>Early supported discharge: the draft plan</h1>"
        "<p>A paper for the Stroke Services Reference Group (fictional demo).</p></body></html>"
    )
    services.paper_upload(
        actor=officer,
        meeting=past,
        title="Early supported discharge: the draft plan",
        upload=SimpleUploadedFile("early-supported-discharge.pdf", pdf),
    )
    statuses = {t.pk: "present" for t in terms}
    if len(terms) > 2:
        statuses[terms[-1].pk] = "apologies"
    statuses[lead.pk] = "present"
    services.attendance_record(actor=officer, meeting=past, statuses=statuses)
    minutes = services.minutes_draft_save(
        actor=officer,
        meeting=past,
        text=(
            "The chair welcomed members. The staff lead presented the draft plan for early "
            "supported discharge. Members welcomed therapy at home but were worried about "
            "the first days after leaving hospital, and about carers being left to cope. "
            "The group read the draft leaflet and asked for plainer words and larger print."
        ),
    )
    topic = Topic.objects.filter(slug="hospital-services").first()
    for said in (
        "The first few days at home after a stroke are the hardest; people need a named "
        "person to call.",
        "Carers are given no training before discharge and feel left to cope alone.",
        "The leaflet uses too many medical words and the print is too small to read.",
    ):
        services.heard_item_add(actor=officer, minutes=minutes, text=said, topic=topic)
    services.decision_record(
        actor=officer,
        meeting=past,
        text="The group supports early supported discharge if every patient has a named contact.",
    )
    services.action_record(
        actor=officer,
        meeting=past,
        text="Share the group's comments on the leaflet with the stroke team",
        owner=lead,
        due_on=today - timedelta(days=10),
    )
    services.action_record(
        actor=officer,
        meeting=past,
        text="Ask the trust how carers are prepared before discharge",
        owner=lead,
        due_on=today + timedelta(days=14),
    )
    chair_term = terms[0] if terms else lead
    services.minutes_approve(
        actor=officer,
        minutes=minutes,
        approver=chair_term,
        approved_at=held_at + timedelta(days=7),
    )
    services.minutes_publish(actor=officer, minutes=minutes)

    upcoming_at = (timezone.now() + timedelta(days=30)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    upcoming = services.meeting_save(
        actor=officer,
        sg=sg,
        title="Winter meeting: the revised leaflet",
        starts_at=upcoming_at,
        ends_at=upcoming_at + timedelta(hours=2),
        place="County Hall, Martineau Lane, Norwich NR1 2DH",
        link="https://meet.demo.heard.example/stroke-reference-group",
    )
    services.agenda_item_add(actor=officer, meeting=upcoming, title="The revised leaflet")
    if out is not None:
        out.write(f"Standing group: {GROUP_NAME} (public page /groups/{sg.slug}/)")
    return {"standing group": 1, "meetings": 2}
