"""`python manage.py demo_load`: a realistic fictional ICB to explore. Safe to run twice.

Creates one staff account per role, each with two-factor authentication already set up,
and prints how to sign in. Every later capability extends this command.
"""

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.accounts.services import user_create
from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.roles import Role
from heard.demo import analysis as analysis_demo
from heard.demo import engagement as engagement_demo
from heard.demo import events as events_demo
from heard.demo import groups as groups_demo
from heard.demo import insight as insight_demo
from heard.demo import involvement as involvement_demo
from heard.demo import people as people_demo
from heard.demo import reports as reports_demo
from heard.demo import service_change as outcomes_demo
from heard.demo.staff import DEMO_STAFF
from heard.people.models import Consent, Member
from heard.people.services.members import member_create

# Fictional people; the domain is reserved for examples.
DEMO_MEMBER = ("member@demo.heard.example", "Sam Green")
# Only for the fictional demo accounts, and refused outside DEBUG (see handle()).
DEMO_PASSWORD = "demo-heard-2026"  # noqa: S105


class Command(BaseCommand):
    help = "Load the fictional demo organisation (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even when DEBUG is off (never on a real deployment).",
        )
        parser.add_argument("--quiet", action="store_true", help="Do not print the sign-ins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "demo_load creates accounts with a published password, so it only runs with "
                "DJANGO_DEBUG on. Pass --allow-production to override on a throwaway instance."
            )
        created = 0
        with transaction.atomic():
            for email, name, role in DEMO_STAFF:
                created += self._ensure_user(email, name, role)
            created += self._ensure_user(*DEMO_MEMBER, role="")
            if created:
                audit_record(action=Action.DEMO_LOADED, after={"users_created": created})
        # Each app loads its own demo data, idempotently, in dependency order.
        for part in (
            people_demo,
            involvement_demo,
            engagement_demo,
            events_demo,
            insight_demo,
            groups_demo,
            analysis_demo,
            outcomes_demo,
            reports_demo,
        ):
            made = part.load(None if options["quiet"] else self.stdout)
            _refresh_planner_statistics()
            if made and not options["quiet"]:
                self.stdout.write(", ".join(f"{n} {what}" for what, n in made.items()))
        # After the parts, so that the demo's sampled invitations stay as they were.
        with transaction.atomic():
            _ensure_membership(*DEMO_MEMBER)
        if not options["quiet"]:
            self._print_sign_ins(created)

    def _ensure_user(self, email: str, name: str, role: Role | str) -> int:
        user = User.objects.filter(email=email).first()
        made = 0
        if user is None:
            user = user_create(email=email, full_name=name, role=role, password=DEMO_PASSWORD)
            made = 1
        if (
            role
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, generate_totp_secret())
        return made

    def _print_sign_ins(self, created: int) -> None:
        w = self.stdout.write
        w(self.style.SUCCESS(f"Demo loaded ({created} new accounts)."))
        w(f"Staff sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, _name, role in DEMO_STAFF:
            w(f"  {role.label:<20} {email}")
        w("Each needs a code from an authenticator app at sign-in. Get the current code with:")
        w("  make totp EMAIL=admin@demo.heard.example")
        w("or add the secret it prints to any authenticator app.")
        w(f"Member of the public: {DEMO_MEMBER[0]} (a member: sign in at /sign-in/)")


def _ensure_membership(email: str, name: str) -> None:
    """The demo member of the public belongs to the membership scheme (an active,
    verified member linked to the account), so member sign-in mails them a link."""
    user = User.objects.get(email=email)
    if Member.objects.filter(user=user).exists():
        return
    member = Member.objects.filter(email=email).first() or member_create(
        full_name=name,
        email=email,
        postcode="NR1 3SR",
        status=Member.Status.ACTIVE,
        consents={
            Consent.Purpose.MEMBERSHIP: people_demo.CONSENT_WORDING[Consent.Purpose.MEMBERSHIP],
            Consent.Purpose.CONTACT: people_demo.CONSENT_WORDING[Consent.Purpose.CONTACT],
        },
    )
    member.user = user
    member.status = Member.Status.ACTIVE
    member.email_verified_at = member.email_verified_at or timezone.now()
    member.save(update_fields=["user", "status", "email_verified_at"])


def _refresh_planner_statistics() -> None:
    """On PostgreSQL, ANALYZE after each part: the parts load thousands of rows at once,
    and the next part's queries (and the first page views) would otherwise be planned
    on statistics from before the load, until autovacuum gets round to it.

    Only the project's own tables: a bare ANALYZE also takes the shared catalogs, whose
    locks another database on the same server (a second test worker's) may hold, and
    then waits past the lock timeout (seen once in CI)."""
    if connection.vendor == "postgresql":
        tables = sorted(connection.introspection.django_table_names(only_existing=True))
        if not tables:
            return
        names = ", ".join(connection.ops.quote_name(t) for t in tables)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {names}")  # names quoted by the backend
