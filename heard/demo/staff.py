"""The demo's fictional staff, one per role, and the one way a demo part gets the person
it acts as: every service the demo calls checks that person's permission, as it would
for anyone. ``demo_load`` makes them first (with a password and two-factor set up); a
part loaded on its own (a test) gets the same person, made here without a password."""

from heard.accounts.models import User
from heard.accounts.services import user_create
from heard.core.roles import Role

# Fictional people; the domain is reserved for examples.
DEMO_STAFF = [
    ("admin@demo.heard.example", "Priya Shah", Role.ADMINISTRATOR),
    ("officer@demo.heard.example", "Tom Walker", Role.ENGAGEMENT_OFFICER),
    ("analyst@demo.heard.example", "Aisha Okafor", Role.ANALYST),
    ("lead@demo.heard.example", "Gareth Lloyd", Role.PROGRAMME_LEAD),
    ("board@demo.heard.example", "Helen Marsh", Role.DECISION_MAKER),
    ("scrutiny@demo.heard.example", "Cllr Joan Pike", Role.SCRUTINY_READER),
]


def demo_staff(email: str) -> User:
    """The demo staff member with this address, made if missing."""
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user
    name, role = next((n, r) for e, n, r in DEMO_STAFF if e == email)
    return user_create(email=email, full_name=name, role=role)
