"""Issue 14, "done when" 4: erasing a member whose words were quoted leaves the audit chain
verifiable (``manage.py audit_verify``), and what was kept of their words for the audit
trail, and their name on public pages, are gone."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from heard.audit.models import AuditText
from heard.audit.services import audit_checkpoint
from heard.core.roles import Role
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal, respond_to_all

pytestmark = pytest.mark.django_db

NAME = "Margaret Thompson"
HER_WORDS = "the Sunday bus from Northgate never turns up before ten"
OTHER = "Most people agreed with the plan to move the unit."


def _in_audit_tables(needle: str) -> bool:
    with connection.cursor() as cursor:
        for table in ("audit_auditevent", "audit_audittext", "audit_auditcheckpoint"):
            cursor.execute(f"SELECT * FROM {table}")
            if any(needle.lower() in str(v).lower() for row in cursor.fetchall() for v in row):
                return True
    return False


def test_erasing_a_quoted_member_keeps_the_chain_and_removes_her_words(
    client, make_staff, make_member, capsys
) -> None:
    from heard.groups import services as group_services
    from heard.groups.tests.helpers import add_person, make_group

    user = make_member(full_name=NAME, email="margaret@example.org")
    member = user.member
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    # She chairs a public group and agreed to be named on its page.
    sg = make_group()
    add_person(sg, NAME, member=member, role="chair", named_publicly=True)
    group_services.standing_group_update(
        actor=officer,
        sg=sg,
        public=True,
        public_summary="People who had a stroke.",
        meets="Monthly",
    )
    group_page = reverse("groups_public:group", kwargs={"slug": sg.slug})
    assert NAME in client.get(group_page).content.decode()

    # Staff quote her, by name, in what we heard and in the outcome's summary.
    made = make_consulted_proposal()
    proposal = made["proposal"]
    respond_to_all(proposal, made["themes"], officer)
    travel = made["themes"]["Travel to the new site"]
    services.theme_response_save(
        proposal=proposal,
        theme_id=travel.pk,
        actor=officer,
        heard=f"{NAME} told us {HER_WORDS}.",
        response="We will ask for an earlier Sunday bus. We weighed this against the travel survey and the clinical advice.",
        changed="partly",
        how="The transport plan asks for it.",
    )
    services.outcome_update(
        proposal=proposal,
        actor=officer,
        summary=f"People like {NAME} worry about buses.",
        why="",
        next_steps="The board decides in March.",
    )
    services.report_issue(proposal=proposal, actor=officer, issued_to="ICB board members")
    services.publication_approve(
        publication=selectors.publications_for_proposal(proposal)[0],
        actor=make_staff(Role.ADMINISTRATOR),
    )
    public = reverse("outcomes_public:detail", args=[proposal.slug])
    published = client.get(public).content.decode()
    assert "[NAME] told us" in published and NAME not in published  # redacted already
    # Kept for the audit trail, outside the chain, and the chain signed.
    assert AuditText.objects.filter(text__contains=NAME, erased_at=None).count() >= 2
    audit_checkpoint(reason="command")
    call_command("audit_verify")
    assert "Audit chain intact" in capsys.readouterr().out

    other = make_consulted_proposal()
    services.outcome_update(
        proposal=other["proposal"], actor=officer, summary=OTHER, why="", next_steps=""
    )

    # She asks to be erased, from her account.
    client.force_login(user)
    assert client.post(reverse("members:delete")).status_code == 302
    client.logout()
    member.refresh_from_db()
    assert member.status == "erased"

    call_command("audit_verify")
    assert "Audit chain intact" in capsys.readouterr().out
    assert not _in_audit_tables(NAME)
    assert not _in_audit_tables(HER_WORDS)
    assert not _in_audit_tables("margaret@example.org")
    assert AuditText.objects.filter(erased_at__isnull=False).count() >= 2
    for url in (group_page, public, reverse("outcomes_public:index")):
        html = client.get(url).content.decode()
        assert NAME not in html and "Thompson" not in html, url
    # Nothing else was erased: another record's kept words stay.
    assert AuditText.objects.filter(text=OTHER, erased_at=None).exists()
