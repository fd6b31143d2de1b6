"""Demo data for people and communities (called by `manage.py demo_load`).

2,000 fictional members of the people's panel of a fictional Norfolk and Waveney ICB,
skewed the way real panels are: older, more women than men, more from Norwich than from
the rural districts, mostly White British with smaller minority groups than the local
population (so that the reach reports have gaps to show). About 70% answered the
equality questions, some with "prefer not to say". Plus 30 groups: patient
participation groups, reference groups, forums, a VCSE organisation and the stakeholder
bodies (scrutiny committees, Healthwatch, councils, MPs, NHS trusts).

Built through the front doors staff use: the groups with ``group_create``, the members
with the people import (a CSV made here and run the way its task runs it), their equality
answers with ``member_equality_update``, and each group's people with an import of the
group's list (names, emails and roles) into that group. What no service writes – the
members' history over the last three years (when they joined, left or were last
active) and consents given in the past – is written directly afterwards, and says so.

Deterministic (``random.Random(SEED)``) and idempotent: members are recognised by their
reserved email domain and groups by name, so a second run adds nothing. Names are drawn
from lists and combined at random; phone numbers are in Ofcom's ranges for drama.
"""

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.people.imports.validation import auto_map
from heard.people.models import (
    Consent,
    Group,
    GroupMembership,
    ImportBatch,
    Member,
    Topic,
)
from heard.people.postcodes import LOCALITY_BY_DISTRICT, normalise_postcode
from heard.people.services.groups import group_create
from heard.people.services.imports import import_run, import_start, import_upload
from heard.people.services.members import member_equality_update

SEED = 20260401
MEMBER_COUNT = 2000
EMAIL_DOMAIN = "people.demo.heard.example"

CONSENT_WORDING = {
    Consent.Purpose.MEMBERSHIP: (
        "I want to join the people's panel. NHS Norfolk and Waveney ICB will keep my name "
        "and contact details to invite me to get involved, as its privacy notice explains."
    ),
    Consent.Purpose.CONTACT: (
        "You may contact me about opportunities to get involved that match my interests."
    ),
    Consent.Purpose.EQUALITY: (
        "I agree that my answers to the equality questions are kept apart from my name and "
        "used only in anonymous totals."
    ),
}

# Locality shares: Norwich over-represented, rural and coastal districts under (real
# panels are urban-heavy). Population shares are roughly 15% Norwich.
LOCALITY_WEIGHTS = {
    "Norwich": 30,
    "Broadland": 12,
    "South Norfolk": 13,
    "North Norfolk": 10,
    "Breckland": 10,
    "Great Yarmouth": 7,
    "King's Lynn and West Norfolk": 10,
    "Waveney": 8,
}
DISTRICTS_BY_LOCALITY: dict[str, list[str]] = {}
for _district, _locality in sorted(LOCALITY_BY_DISTRICT.items()):
    DISTRICTS_BY_LOCALITY.setdefault(_locality, []).append(_district)
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Age bands: the population (Census 2021, 18+) is about 9/14/14/15/16/15/17%; the panel
# leans much older, as panels do.
AGE_WEIGHTS = {
    "18_24": 3,
    "25_34": 7,
    "35_44": 10,
    "45_54": 14,
    "55_64": 21,
    "65_74": 26,
    "75_plus": 16,
    "prefer_not_to_say": 3,
}
SEX_WEIGHTS = {"female": 61, "male": 36, "prefer_not_to_say": 3}
# Population: White 94.7% (White British about 90%), Asian 2.1%, Black 0.9%, Mixed 1.6%,
# Other 0.7%. The panel under-represents every minority group.
ETHNIC_WEIGHTS = {
    "white_british": 900,
    "white_irish": 6,
    "white_gypsy_traveller": 1,
    "white_other": 30,
    "asian_indian": 6,
    "asian_pakistani": 1,
    "asian_bangladeshi": 2,
    "asian_chinese": 3,
    "asian_other": 2,
    "black_african": 5,
    "black_caribbean": 2,
    "mixed_white_black_caribbean": 3,
    "mixed_white_asian": 3,
    "mixed_other": 2,
    "other_arab": 1,
    "other_any": 2,
    "prefer_not_to_say": 31,
}
DISABILITY_WEIGHTS = {"yes_a_lot": 11, "yes_a_little": 19, "no": 65, "prefer_not_to_say": 5}
RELIGION_WEIGHTS = {
    "none": 40,
    "christian": 50,
    "buddhist": 1,
    "hindu": 1,
    "jewish": 1,
    "muslim": 1,
    "other": 2,
    "prefer_not_to_say": 4,
}
CARER_WEIGHTS = {
    "no": 72,
    "yes_under_20h": 15,
    "yes_20_49h": 5,
    "yes_50h_plus": 5,
    "prefer_not_to_say": 3,
}
MARITAL_WEIGHTS = {
    "never": 18,
    "married": 48,
    "civil_partnership": 1,
    "separated": 2,
    "divorced": 11,
    "widowed": 14,
    "prefer_not_to_say": 6,
}
ORIENTATION_WEIGHTS = {
    "straight": 88,
    "gay_lesbian": 2,
    "bisexual": 2,
    "other": 1,
    "prefer_not_to_say": 7,
}

FEMALE = [
    "Margaret",
    "Susan",
    "Patricia",
    "Linda",
    "Janet",
    "Carol",
    "Christine",
    "Elizabeth",
    "Ann",
    "Jean",
    "Helen",
    "Karen",
    "Julie",
    "Sarah",
    "Alison",
    "Gillian",
    "Sandra",
    "Pauline",
    "Jacqueline",
    "Wendy",
    "Lesley",
    "Maureen",
    "Barbara",
    "Sheila",
    "Valerie",
    "Brenda",
    "Joan",
    "Dorothy",
    "Rachel",
    "Emma",
    "Claire",
    "Louise",
    "Hannah",
    "Sophie",
    "Chloe",
    "Amy",
    "Laura",
    "Rebecca",
    "Natalie",
    "Kirsty",
    "Priya",
    "Aisha",
    "Mei",
    "Grace",
    "Zofia",
    "Agnieszka",
    "Niamh",
    "Amara",
]
MALE = [
    "David",
    "John",
    "Michael",
    "Peter",
    "Robert",
    "Paul",
    "Stephen",
    "Andrew",
    "Richard",
    "Ian",
    "Mark",
    "Alan",
    "Brian",
    "Keith",
    "Graham",
    "Colin",
    "Trevor",
    "Roger",
    "Geoffrey",
    "Derek",
    "Malcolm",
    "Nigel",
    "Martin",
    "Gary",
    "Simon",
    "Neil",
    "Philip",
    "Kevin",
    "Christopher",
    "James",
    "Thomas",
    "Daniel",
    "Matthew",
    "Liam",
    "Ryan",
    "Jack",
    "Oliver",
    "Ravi",
    "Arjun",
    "Kwame",
    "Tomasz",
    "Piotr",
    "Wei",
    "Connor",
    "Samuel",
    "Tobias",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Brown",
    "Taylor",
    "Wilson",
    "Johnson",
    "Clarke",
    "Wright",
    "Green",
    "Hall",
    "Wood",
    "Thompson",
    "Walker",
    "Robinson",
    "Hughes",
    "Edwards",
    "Lewis",
    "Turner",
    "Harris",
    "Cooper",
    "King",
    "Baker",
    "Allen",
    "Howard",
    "Nelson",
    "Pegg",
    "Thurston",
    "Gotts",
    "Balls",
    "Loades",
    "Bussey",
    "Howes",
    "Gedge",
    "Spinks",
    "Eke",
    "Neave",
    "Yallop",
    "Rix",
    "Shreeve",
    "Bobbin",
    "Kett",
    "Larwood",
    "Starling",
    "Youngs",
    "Fairweather",
    "Ling",
    "Mayes",
    "Pointer",
    "Catchpole",
    "Gooch",
    "Moll",
    "Ward",
    "Patel",
    "Sharma",
    "Chen",
    "Okafor",
    "Mensah",
    "Kowalski",
    "Nowak",
    "Murphy",
    "O'Brien",
    "Campbell",
    "Evans",
    "Davies",
    "Reeve",
    "Brundle",
    "Thrower",
    "Sutton",
    "Barnard",
]

GP_PRACTICES = [
    ("Riverside Medical Practice", "Norwich"),
    ("Wensum Valley Surgery", "Norwich"),
    ("Castle Meadow Health Centre", "Norwich"),
    ("Yare Valley Medical Partnership", "South Norfolk"),
    ("Broadland Fields Surgery", "Broadland"),
    ("Cromer Coast Practice", "North Norfolk"),
    ("Dereham Market Surgery", "Breckland"),
    ("Thetford Forest Medical Centre", "Breckland"),
    ("Gorleston Quay Surgery", "Great Yarmouth"),
    ("Lowestoft Harbour Practice", "Waveney"),
    ("Gaywood Park Surgery", "King's Lynn and West Norfolk"),
]
# (name, kind, stakeholder type, locality, interest, influence, description)
GROUPS: list[tuple[str, str, str, str, int, int, str]] = [
    (
        "Norfolk and Waveney People's Panel",
        "membership_scheme",
        "",
        "",
        4,
        3,
        "Our membership scheme: people who have signed up to be asked to get involved.",
    ),
    (
        "Stroke Services Reference Group",
        "reference_group",
        "",
        "",
        5,
        3,
        "People with lived experience of stroke and their carers, advising on stroke services.",
    ),
    (
        "Mental Health Lived Experience Reference Group",
        "reference_group",
        "",
        "",
        5,
        3,
        "Co-designs changes to adult mental health services.",
    ),
    (
        "Great Yarmouth and Waveney Health Forum",
        "forum",
        "",
        "Great Yarmouth",
        4,
        2,
        "A quarterly open forum for residents, with the local health and care partners.",
    ),
    (
        "West Norfolk Carers Forum",
        "forum",
        "",
        "King's Lynn and West Norfolk",
        4,
        2,
        "Unpaid carers in West Norfolk.",
    ),
    (
        "Norfolk Community Wellbeing Network",
        "vcse",
        "",
        "",
        4,
        3,
        "An alliance of voluntary and community organisations across Norfolk (fictional).",
    ),
    (
        "Norfolk Health Overview and Scrutiny Committee",
        "stakeholder",
        "osc",
        "",
        5,
        5,
        "Scrutinises substantial changes to health services in Norfolk.",
    ),
    (
        "Suffolk Health Scrutiny Committee",
        "stakeholder",
        "osc",
        "Waveney",
        4,
        5,
        "Scrutinises health services affecting Suffolk residents, including Waveney.",
    ),
    ("Healthwatch Norfolk", "stakeholder", "healthwatch", "", 5, 4, "The local patient champion."),
    (
        "Healthwatch Suffolk",
        "stakeholder",
        "healthwatch",
        "Waveney",
        4,
        3,
        "The local patient champion.",
    ),
    (
        "Norfolk County Council",
        "stakeholder",
        "council",
        "",
        4,
        5,
        "Adult social care and public health.",
    ),
    (
        "Great Yarmouth Borough Council",
        "stakeholder",
        "council",
        "Great Yarmouth",
        3,
        3,
        "District council.",
    ),
    (
        "Borough Council of King's Lynn and West Norfolk",
        "stakeholder",
        "council",
        "King's Lynn and West Norfolk",
        3,
        3,
        "District council.",
    ),
    (
        "Eleanor Marsh MP (Norwich Riverside)",
        "stakeholder",
        "mp",
        "Norwich",
        3,
        4,
        "Member of Parliament (fictional constituency).",
    ),
    (
        "Daniel Okonjo MP (Broadland Vale)",
        "stakeholder",
        "mp",
        "Broadland",
        2,
        4,
        "Member of Parliament (fictional constituency).",
    ),
    (
        "Norfolk and Norwich University Hospitals NHS Foundation Trust",
        "stakeholder",
        "nhs_trust",
        "Norwich",
        4,
        5,
        "Acute hospital trust.",
    ),
    (
        "The Queen Elizabeth Hospital King's Lynn NHS Foundation Trust",
        "stakeholder",
        "nhs_trust",
        "King's Lynn and West Norfolk",
        4,
        4,
        "Acute hospital trust.",
    ),
    (
        "James Paget University Hospitals NHS Foundation Trust",
        "stakeholder",
        "nhs_trust",
        "Great Yarmouth",
        4,
        4,
        "Acute hospital trust.",
    ),
    (
        "Norfolk and Suffolk NHS Foundation Trust",
        "stakeholder",
        "nhs_trust",
        "",
        5,
        4,
        "Mental health trust.",
    ),
]


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _postcode(rng: random.Random, locality: str) -> str:
    district = rng.choice(DISTRICTS_BY_LOCALITY[locality])
    inward = f"{rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
    return normalise_postcode(f"{district} {inward}")


OFFICER_EMAIL = "officer@demo.heard.example"


def _officer() -> User | None:
    """The demo's engagement officer (made by demo_load first), who imports the panel and
    sets up the groups; nobody when a test loads this part on its own."""
    return User.objects.filter(email=OFFICER_EMAIL).first()


@dataclass
class _Person:
    full_name: str
    email: str
    phone: str
    postcode: str
    locality: str
    status: str
    joined_at: datetime
    email_verified_at: datetime | None
    last_active_at: datetime | None
    contact_by_email: bool
    contact_by_phone: bool
    contact_by_post: bool
    sex: str
    consents: list[Consent] = field(default_factory=list)
    equality: dict[str, str] | None = None
    interests: set[str] = field(default_factory=set)
    pk: int = 0


def load(out: Any = None) -> dict[str, int]:
    """Create the demo members and groups if missing; return what was created."""
    rng = random.Random(SEED)  # noqa: S311 – demo data, not security
    made: dict[str, int] = {}
    actor = _officer()
    with transaction.atomic():
        groups = _ensure_groups(actor)
        if groups:
            made["groups"] = len(groups)
        if not Member.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists():
            made.update(_members(rng, actor))
        if made:
            audit_record(action=Action.DEMO_LOADED, subject=("people", "demo"), after=made)
    return made


def _ensure_groups(actor: User | None) -> list[Group]:
    existing = set(Group.objects.values_list("name", flat=True))
    rows: list[dict[str, Any]] = [
        {
            "name": f"{practice} Patient Participation Group",
            "kind": Group.Kind.PPG,
            "gp_practice": practice,
            "locality": locality,
            "interest": 4,
            "influence": 2,
            "description": f"Patients of {practice} working with the practice team.",
        }
        for practice, locality in GP_PRACTICES
    ]
    rows += [
        {
            "name": name,
            "kind": kind,
            "stakeholder_type": stype,
            "locality": locality,
            "interest": interest,
            "influence": influence,
            "description": description,
        }
        for name, kind, stype, locality, interest, influence, description in GROUPS
    ]
    return [
        group_create(actor=actor, **values) for values in rows if values["name"] not in existing
    ]


def _import(
    rows: list[list[str]], filename: str, actor: User | None, group: Group | None = None
) -> ImportBatch:
    """Run the people import on a CSV made here, as staff would upload it, synchronously
    (what its background task does), so the demo's people meet every rule of the import."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    batch = import_upload(
        filename=filename, data=buffer.getvalue().encode("utf-8"), actor=actor, group=group
    )
    import_start(batch=batch, mapping=auto_map(rows[0]), group=group, actor=actor)
    batch = import_run(batch_id=batch.pk)
    if batch.status != ImportBatch.Status.DONE or batch.rejected_rows:
        raise RuntimeError(f"The demo import {filename} did not complete: {batch.error}")
    return batch


def _people(rng: random.Random, now: datetime) -> list[_Person]:
    localities = list(LOCALITY_WEIGHTS)
    people: list[_Person] = []
    for n in range(MEMBER_COUNT):
        sex = _pick(rng, SEX_WEIGHTS)
        first = rng.choice(FEMALE if sex == "female" else MALE if sex == "male" else FEMALE + MALE)
        last = rng.choice(SURNAMES)
        if rng.random() < 0.01:
            locality, postcode = (
                "Outside the area",
                normalise_postcode(f"IP{rng.randint(1, 14)} {rng.randint(1, 9)}AB"),
            )
        else:
            locality = rng.choices(localities, weights=list(LOCALITY_WEIGHTS.values()))[0]
            postcode = _postcode(rng, locality)
        email = f"{first}.{last}".lower().replace("'", "") + f"{n}@{EMAIL_DOMAIN}"
        joined = now - timedelta(days=rng.triangular(0, 3 * 365, 200), minutes=rng.randint(0, 1440))
        roll = rng.random()
        status = (
            Member.Status.ACTIVE
            if roll < 0.88
            else Member.Status.PENDING
            if roll < 0.92
            else Member.Status.LEFT
        )
        active = status == Member.Status.ACTIVE
        phone = (
            f"07700 900{rng.randint(0, 999):03d}"
            if rng.random() < 0.3
            else f"01632 960{rng.randint(0, 999):03d}"
            if rng.random() < 0.2
            else ""
        )
        by_email, by_phone, by_post = (
            rng.random() < 0.92,
            rng.random() < 0.15,
            rng.random() < 0.1,
        )
        rng.random()  # was the sign-up/staff source; the import is now where they came from
        people.append(
            _Person(
                full_name=f"{first} {last}",
                email=email,
                phone=phone,
                postcode=postcode,
                locality=locality,
                status=status,
                joined_at=joined,
                email_verified_at=joined + timedelta(hours=2)
                if status != Member.Status.PENDING
                else None,
                last_active_at=(
                    now - timedelta(days=rng.randint(0, min(400, (now - joined).days + 1)))
                    if active
                    else None
                ),
                contact_by_email=by_email,
                contact_by_phone=by_phone,
                contact_by_post=by_post,
                sex=sex,
            )
        )
    return people


def _answers(rng: random.Random, people: list[_Person], topics: list[Topic]) -> None:
    """Consents, equality answers and interests, drawn in the order they always were."""
    for person in people:
        person.consents.append(
            Consent(
                purpose=Consent.Purpose.MEMBERSHIP,
                wording=CONSENT_WORDING[Consent.Purpose.MEMBERSHIP],
                given_at=person.joined_at,
                withdrawn_at=(
                    person.joined_at + timedelta(days=rng.randint(30, 600))
                    if person.status == Member.Status.LEFT
                    else None
                ),
                channel=rng.choices(["online", "paper", "phone", "event"], [80, 10, 4, 6])[0],
            )
        )
        if rng.random() < 0.9:
            person.consents.append(
                Consent(
                    purpose=Consent.Purpose.CONTACT,
                    wording=CONSENT_WORDING[Consent.Purpose.CONTACT],
                    given_at=person.joined_at,
                    withdrawn_at=(
                        person.joined_at + timedelta(days=rng.randint(10, 300))
                        if rng.random() < 0.04
                        else None
                    ),
                )
            )
        if rng.random() < 0.7:
            person.consents.append(
                Consent(
                    purpose=Consent.Purpose.EQUALITY,
                    wording=CONSENT_WORDING[Consent.Purpose.EQUALITY],
                    given_at=person.joined_at,
                )
            )
            sex = person.sex
            age = _pick(rng, AGE_WEIGHTS)
            person.equality = {
                "age_band": age,
                "sex": sex,
                "gender_same_as_sex": _pick(rng, {"yes": 95, "no": 1, "prefer_not_to_say": 4}),
                "sexual_orientation": _pick(rng, ORIENTATION_WEIGHTS),
                "ethnic_group": _pick(rng, ETHNIC_WEIGHTS),
                "disability": _pick(rng, DISABILITY_WEIGHTS),
                "religion": _pick(rng, RELIGION_WEIGHTS) if rng.random() < 0.9 else "",
                "carer": _pick(rng, CARER_WEIGHTS),
                "pregnancy": (
                    _pick(
                        rng,
                        {"no": 90, "pregnant": 3, "recent_birth": 2, "prefer_not_to_say": 5},
                    )
                    if sex == "female" and age in ("18_24", "25_34", "35_44")
                    else ("no" if rng.random() < 0.6 else "")
                ),
                "marital_status": _pick(rng, MARITAL_WEIGHTS) if rng.random() < 0.85 else "",
            }
        if topics:
            count = rng.choices([0, 1, 2, 3, 4], [10, 25, 30, 20, 15])[0]
            weights = [
                3 if t.slug in ("gp-and-primary-care", "hospital-services") else 1 for t in topics
            ]
            person.interests = {rng.choices(topics, weights)[0].slug for _ in range(count)}


HISTORY_FIELDS = [
    "status",
    "joined_at",
    "email_verified_at",
    "last_active_at",
    "contact_by_email",
    "contact_by_phone",
    "contact_by_post",
]


def _members(rng: random.Random, actor: User | None) -> dict[str, int]:
    now = timezone.now()
    topics = list(Topic.objects.filter(active=True).order_by("slug"))
    people = _people(rng, now)
    _answers(rng, people, topics)
    header = ["Full name", "Email address", "Phone number", "Postcode", "Interests"]
    _import(
        [header]
        + [
            [p.full_name, p.email, p.phone, p.postcode, "; ".join(sorted(p.interests))]
            for p in people
        ],
        "peoples-panel.csv",
        actor,
    )
    held = {
        m.email: m
        for m in Member.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").only(
            "pk", "email", *HISTORY_FIELDS
        )
    }
    members = []
    for person in people:
        member = held[person.email]
        person.pk = member.pk
        for name in HISTORY_FIELDS:
            setattr(member, name, getattr(person, name))
        members.append(member)
    # No service writes a member's past (joined three years ago, left, last active): the
    # demo's history, set on the people the import has just added.
    Member.objects.bulk_update(members, HISTORY_FIELDS, batch_size=500)
    consents = []
    for person in people:
        for consent in person.consents:
            consent.member_id = person.pk
            consents.append(consent)
    # No service records a consent given in the past, with the channel it was given by.
    Consent.objects.bulk_create(consents, batch_size=1000)
    answered = 0
    for person, member in zip(people, members, strict=True):
        if person.equality is not None:
            member_equality_update(member=member, actor=actor, answers=person.equality)
            answered += 1
    memberships = _memberships(rng, people, actor)
    return {
        "members": len(people),
        "consents": len(consents),
        "equality answers": answered,
        "group memberships": memberships,
    }


ROLE_NAMES = {
    GroupMembership.Role.MEMBER: "Member",
    GroupMembership.Role.CHAIR: "Chair",
    GroupMembership.Role.SECRETARY: "Secretary",
    GroupMembership.Role.CONTACT: "Contact",
}


def _memberships(rng: random.Random, people: list[_Person], actor: User | None) -> int:
    """Each group's people, imported from the group's list into the group."""
    groups = {g.name: g for g in Group.objects.all()}
    active = [p for p in people if p.status == Member.Status.ACTIVE]
    by_locality: dict[str, list[_Person]] = {}
    for person in active:
        by_locality.setdefault(person.locality, []).append(person)
    lists: dict[int, list[tuple[_Person, str, date]]] = {}
    taken: set[tuple[int, int]] = set()

    def add(group: Group, person: _Person, role: str) -> None:
        if (group.pk, person.pk) in taken:
            return
        taken.add((group.pk, person.pk))
        since = (person.joined_at + timedelta(days=rng.randint(0, 60))).date()
        lists.setdefault(group.pk, []).append((person, role, since))

    panel = groups.get("Norfolk and Waveney People's Panel")
    if panel is not None:
        for person in active:
            add(panel, person, GroupMembership.Role.MEMBER)
    for group in groups.values():
        if group.kind == Group.Kind.MEMBERSHIP_SCHEME:
            continue
        pool = by_locality.get(group.locality) or active
        if group.kind == Group.Kind.PPG:
            size = rng.randint(8, 24)
        elif group.kind in (Group.Kind.REFERENCE_GROUP, Group.Kind.FORUM):
            size = rng.randint(12, 30)
        else:
            size = rng.randint(1, 3)  # named contacts at an organisation
        chosen = rng.sample(pool, min(size, len(pool)))
        for index, person in enumerate(chosen):
            if group.kind in (Group.Kind.STAKEHOLDER, Group.Kind.VCSE):
                role = GroupMembership.Role.CONTACT if index == 0 else GroupMembership.Role.MEMBER
            else:
                role = (
                    GroupMembership.Role.CHAIR
                    if index == 0
                    else GroupMembership.Role.SECRETARY
                    if index == 1
                    else GroupMembership.Role.MEMBER
                )
            add(group, person, role)
    by_pk = {g.pk: g for g in groups.values()}
    count = 0
    for group_pk, rows in lists.items():
        group = by_pk[group_pk]
        _import(
            [["Full name", "Email address", "Role in the group"]]
            + [
                [p.full_name, p.email, ROLE_NAMES[GroupMembership.Role(role)]]
                for p, role, _ in rows
            ],
            f"{group.name[:60]}.csv",
            actor,
            group=group,
        )
        count += len(rows)
        held = {
            m.member_id: m for m in GroupMembership.objects.filter(group=group).only("pk", "member")
        }
        dated = []
        for person, _role, since in rows:
            membership = held[person.pk]
            membership.since = since
            dated.append(membership)
        # No service back-dates when someone joined a group: the demo's history.
        GroupMembership.objects.bulk_update(dated, ["since"], batch_size=1000)
    return count
