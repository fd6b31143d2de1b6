"""A theme response holding a person's details reaches the audit chain only as an
erasable reference: erasing the words keeps `audit_verify` intact."""

import pytest
from django.core.management import call_command
from django.db import connection

from heard.audit.models import Action, AuditEvent
from heard.audit.services import audit_checkpoint, audit_text_erase
from heard.core.roles import Role
from heard.servicechange.outcomes import services
from heard.servicechange.outcomes.models import ThemeResponse
from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal

pytestmark = pytest.mark.django_db

WORDS = "Mr John Smith of 4 Mill Lane Northgate (01603 496000) told us his dementia is starting."


def _in_audit_tables(needle: str) -> bool:
    with connection.cursor() as cursor:
        for table in ("audit_auditevent", "audit_audittext", "audit_auditcheckpoint"):
            cursor.execute(f"SELECT * FROM {table}")
            if any(needle in str(v) for row in cursor.fetchall() for v in row):
                return True
    return False


def test_theme_response_words_are_erasable_and_the_chain_still_verifies(make_staff, capsys):
    lead = make_staff(Role.PROGRAMME_LEAD)
    made = make_consulted_proposal()
    theme = made["themes"]["Parking"]
    services.theme_response_save(
        proposal=made["proposal"],
        theme_id=theme.pk,
        actor=lead,
        heard=WORDS,
        response="We will add spaces. We weighed this against the travel survey and the clinical advice.",
        changed="yes",
        how="A second car park.",
    )
    services.outcome_update(
        proposal=made["proposal"], actor=lead, summary=WORDS, why="", next_steps=""
    )
    event = AuditEvent.objects.get(action=Action.THEME_RESPONSE_SAVED)
    assert event.after["changed"] == "yes" and event.after["heard"].startswith("text:")
    assert "Mill Lane" not in str(event.after)
    assert _in_audit_tables("Mill Lane")  # kept, erasable, outside the chain
    audit_checkpoint(reason="command")

    response = ThemeResponse.objects.get()
    outcome = response.outcome
    assert audit_text_erase(actor=lead, about=response) == 3
    assert audit_text_erase(actor=lead, about=outcome) == 1
    assert not _in_audit_tables("Mill Lane")
    assert not _in_audit_tables("dementia")
    call_command("audit_verify")
    assert "Audit chain intact" in capsys.readouterr().out
