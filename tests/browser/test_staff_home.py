"""Each role's staff home shows the work it owes, from the demo organisation, axe clean
on desktop and phone widths."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from heard.accounts.models import User
from heard.accounts.tests.factories import totp_code
from heard.demo.management.commands.demo_load import DEMO_PASSWORD
from heard.servicechange.proposals.models import Proposal
from tests.browser.conftest import ARTIFACTS

# What each demo account must find on its home (the demo's own data).
EXPECTED = {
    "officer@demo.heard.example": [
        "Feedback owed to people",
        "closed without “you said, we did”",
        "Cancer care experience survey",
        "Invitations not yet answered",
        "Digital inclusion drop-in",
    ],
    "analyst@demo.heard.example": [
        "Answers to review",
        "Why do you say that?",
        "Themes not yet confirmed",
    ],
    "lead@demo.heard.example": [
        "Proposals you lead",
        "Moving the Wymford blood-test clinic",
        "There is no engagement plan yet",
    ],
    "board@demo.heard.example": [
        "Outcome reports awaiting a decision",
        "Decisions recorded",
        "Moving the Eastbrook minor injuries unit",
    ],
    "scrutiny@demo.heard.example": [
        "Shared with overview and scrutiny committees",
        "Moving the Eastbrook minor injuries unit",
        "Comments due:",
    ],
}


@pytest.fixture
def demo(transactional_db, settings):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM insight_fts")
    settings.DEBUG = True
    call_command("demo_load", "--quiet")
    settings.DEBUG = False


def _sign_in(visitor, user):
    page = visitor.page
    visitor.visit(reverse("account_login"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code(user))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/")


def _row(page, key: str) -> str:
    """The text of the summary-list row whose key is ``key``."""
    row = page.locator(".nhsuk-summary-list__row").filter(has=page.locator("dt", has_text=key))
    assert row.count() == 1, f"no row {key!r} on the home"
    return " ".join(row.inner_text().split())


def _counts_from_the_demo() -> dict[str, list[str]]:
    """What each home must say, counted here from the demo's rows in plain Python (not
    through the home's own selectors), so a wrong filter there shows up as a wrong count."""
    from heard.analysis.models import AnswerAnalysis
    from heard.engagement import domain as engagement_domain
    from heard.engagement.models import Activity
    from heard.servicechange.consultations.models import Consultation
    from heard.servicechange.outcomes.models import Decision
    from heard.servicechange.proposals.models import Proposal

    S = engagement_domain.Status
    now = timezone.now()
    week = now + timedelta(days=7)

    def shown(a: Activity) -> str:  # the status the public sees, from the dates
        if a.status == S.SCHEDULED and a.opens_at and a.opens_at <= now:
            return S.CLOSED if a.closes_at and a.closes_at <= now else S.OPEN
        if a.status == S.OPEN and a.closes_at and a.closes_at <= now:
            return S.CLOSED
        return a.status

    activities = list(Activity.objects.all())
    owed = [
        a
        for a in activities
        if shown(a) == S.CLOSED
        and a.level != engagement_domain.Level.INFORM
        and a.kind != Activity.Kind.FORMAL_CONSULTATION
        and a.feedback_published_at is None
    ]
    closing = [a for a in activities if shown(a) == S.OPEN and a.closes_at and a.closes_at <= week]
    to_review = sum(1 for a in AnswerAnalysis.objects.only("reviewed_at") if a.reviewed_at is None)
    awaiting = [
        p
        for p in Proposal.objects.all()
        if not Decision.objects.filter(proposal=p).exists()
        and hasattr(p, "outcome")
        and p.outcome.issues.exists()
    ]
    shared = [c for c in Consultation.objects.all() if c.councils.exists()]
    decided = [d.proposal.title for d in Decision.objects.select_related("proposal")]
    pending = sum(1 for p in Proposal.objects.all() if p.status == "decision_pending")
    assert owed and to_review and decided and shared, "the demo lost the work it shows"
    return {
        "officer@demo.heard.example": [
            f"Feedback owed to people {len(owed)} "
            + ("activity has" if len(owed) == 1 else "activities have"),
            f"Closing in the next 7 days {len(closing)} activit",
        ],
        "analyst@demo.heard.example": [f"Answers to review {to_review} answer"],
        "board@demo.heard.example": [
            *(p.title for p in awaiting),
            *([] if awaiting else ["None: no outcome report is waiting for a decision."]),
            f"Proposals with a decision pending {pending}",
            *decided,
        ],
        "scrutiny@demo.heard.example": [c.title for c in shared],
    }


def test_each_role_home_shows_its_owed_work_from_the_demo(visitor, demo):
    page = visitor.page
    counted = _counts_from_the_demo()
    for email, expected in EXPECTED.items():
        user = User.objects.get(email=email)
        _sign_in(visitor, user)
        visitor.check()
        main = " ".join(page.locator("main").inner_text().split())
        assert "Work for you now" in main, email
        for text in expected:
            assert text in main, f"{email}: {text!r} not on the home"
        for text in counted.get(email, []):
            assert text in main, f"{email}: {text!r} not on the home"
        if email.startswith("officer"):
            row = _row(page, "Feedback owed to people")
            assert row.startswith(counted[email][0]), row
        if email.startswith("analyst"):
            row = _row(page, "Answers to review")
            assert row.startswith(counted[email][0]), row
        if email.startswith("lead"):
            done = ("decided", "implementation", "evaluation")
            led = [p for p in Proposal.objects.filter(lead=user) if p.status not in done]
            assert led, "the demo lead leads no open proposal"
            assert f"{len(led)} proposal{'s' if len(led) != 1 else ''} not yet decided" in main
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = email.split("@")[0]
        page.screenshot(path=str(ARTIFACTS / f"home-{name}-desktop.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.reload()  # laid out afresh at phone width, as a phone shows it
        visitor.check()
        page.screenshot(path=str(ARTIFACTS / f"home-{name}-phone.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/")
