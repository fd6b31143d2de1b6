"""The activity and questionnaire builder services check the actor's permission
themselves: each service × every staff role, a member of the public and someone not
signed in (see service_roles). No builder service takes ``actor=None`` for a person:
Heard's own clock acts as ``CLOCK``, and only where the service says it may."""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.accounts.tests.service_roles import Case, params, roles, try_as
from heard.audit.models import Action, AuditEvent
from heard.core.actors import CLOCK, NotPermitted
from heard.core.roles import Role
from heard.engagement import services, services_formats
from heard.engagement import services_questionnaires as builder
from heard.engagement.models import Activity, Answer, FormatRequest, Question, Response
from heard.engagement.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

CHANGERS = roles(Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _made(**fields: Any) -> Activity:
    return ActivityFactory(**fields)  # type: ignore[return-value]


def _activity() -> dict[str, Any]:
    return {"activity": _made(status="draft")}


def _open() -> dict[str, Any]:
    return {"activity": _made(status="open")}


def _questionnaire() -> dict[str, Any]:
    officer = staff_member(Role.ENGAGEMENT_OFFICER)
    activity = _made(status="draft")
    q = builder.questionnaire_create(actor=officer, activity=activity, title="Your views")
    section = q.current_version().sections.get()  # type: ignore[union-attr]
    for text in ("What works well?", "What could be better?"):
        builder.question_save(
            actor=officer,
            q=q,
            question_id=None,
            section_id=section.pk,
            fields={"kind": Question.Kind.LONG_TEXT, "text": text},
        )
    empty = builder.section_save(
        actor=officer, q=q, section_id=None, title="About you", introduction=""
    )
    questions = list(Question.objects.filter(version__questionnaire=q).order_by("position"))
    return {"q": q, "section": section, "empty": empty, "questions": questions}


def _with_draft() -> dict[str, Any]:
    """A questionnaire people have answered, then changed: the change is a draft."""
    made = _questionnaire()
    q, version = made["q"], made["q"].current_version()
    response = Response.objects.create(
        activity=q.activity, questionnaire=q, version=version, reference="HYS-PERM-0001"
    )
    Answer.objects.create(response=response, question=made["questions"][0], text="Kind staff.")
    builder.section_save(
        actor=staff_member(Role.ENGAGEMENT_OFFICER),
        q=q,
        section_id=made["section"].pk,
        title="Your experience",
    )
    assert q.versions.filter(published_at__isnull=True).count() == 1  # v1 stays public
    return made


def _request() -> dict[str, Any]:
    request = FormatRequest.objects.create(
        activity=_made(status="open"),
        format="large_print",
        contact_email="someone@example.org",
        due_by=timezone.localdate() + timedelta(days=5),
    )
    return {"request": request}


def _activity_subject(made: dict[str, Any]) -> tuple[str, str]:
    return ("engagement.activity", str(made["activity"].pk))


CASES = [
    Case(
        "activity_save",
        CHANGERS,
        lambda actor, made: services.activity_save(
            actor=actor, activity=made["activity"], fields={"summary": "A new summary."}
        ),
        _activity,
    ),
    Case(
        "activity_feedback_save",
        CHANGERS,
        lambda actor, made: services.activity_feedback_save(
            actor=actor, activity=made["activity"], feedback="You said; we did."
        ),
        _activity,
    ),
    Case(
        "activity_transition",
        CHANGERS,
        lambda actor, made: services.activity_transition(
            activity=made["activity"], target="closed", actor=actor
        ),
        _open,
        act="activity.closed",
        subject=_activity_subject,
    ),
    Case(
        "questionnaire_create",
        CHANGERS,
        lambda actor, made: builder.questionnaire_create(
            actor=actor, activity=made["activity"], title="Your views"
        ),
        _activity,
    ),
    Case(
        "questionnaire_details_save",
        CHANGERS,
        lambda actor, made: builder.questionnaire_details_save(
            actor=actor, q=made["q"], title="Tell us", introduction="It takes 5 minutes."
        ),
        _questionnaire,
    ),
    Case(
        "section_save",
        CHANGERS,
        lambda actor, made: builder.section_save(
            actor=actor, q=made["q"], section_id=made["section"].pk, title="Your experience"
        ),
        _questionnaire,
    ),
    Case(
        "section_delete",
        CHANGERS,
        lambda actor, made: builder.section_delete(
            actor=actor, q=made["q"], section_id=made["empty"].pk
        ),
        _questionnaire,
    ),
    Case(
        "question_save",
        CHANGERS,
        lambda actor, made: builder.question_save(
            actor=actor,
            q=made["q"],
            question_id=None,
            section_id=made["section"].pk,
            fields={"kind": Question.Kind.SHORT_TEXT, "text": "Which service?"},
        ),
        _questionnaire,
    ),
    Case(
        "question_delete",
        CHANGERS,
        lambda actor, made: builder.question_delete(
            actor=actor, q=made["q"], question_id=made["questions"][1].pk
        ),
        _questionnaire,
    ),
    Case(
        "question_move",
        CHANGERS,
        lambda actor, made: builder.question_move(
            actor=actor, q=made["q"], question_id=made["questions"][1].pk, direction="up"
        ),
        _questionnaire,
    ),
    Case(
        "questionnaire_draft_publish",
        CHANGERS,
        lambda actor, made: builder.questionnaire_draft_publish(actor=actor, q=made["q"]),
        _with_draft,
        act="questionnaire.publish",
        subject=lambda made: ("engagement.questionnaire", str(made["q"].pk)),
    ),
    Case(
        "questionnaire_draft_discard",
        CHANGERS,
        lambda actor, made: builder.questionnaire_draft_discard(actor=actor, q=made["q"]),
        _with_draft,
    ),
    Case(
        "activity_document_add",
        CHANGERS,
        lambda actor, made: services_formats.activity_document_add(
            actor=actor,
            activity=made["activity"],
            title="Easy Read",
            upload=io.BytesIO(PDF),
            name="easy-read.pdf",
            size=len(PDF),
            format="easy_read",
        ),
        _activity,
    ),
    Case(
        "format_request_close",
        CHANGERS,
        lambda actor, made: services_formats.format_request_close(
            actor=actor,
            request=made["request"],
            met=True,
            note="Posted the large print copy, 24 point.",
        ),
        _request,
    ),
]


@pytest.mark.parametrize(("case", "who"), params(CASES))
def test_the_service_checks_who_is_acting(case: Case, who: str) -> None:
    try_as(case, who)


def test_the_clock_moves_an_activity_as_itself_and_a_person_cannot_claim_to_be_it() -> None:
    activity = _made(
        status="open",
        opens_at=timezone.now() - timedelta(days=3),
        closes_at=timezone.now() - timedelta(minutes=1),
    )
    officer = staff_member(Role.ENGAGEMENT_OFFICER)
    with pytest.raises(NotPermitted, match="Only Heard's clock"):
        services.activity_transition(
            activity=activity, target="closed", actor=officer, by_clock=True
        )
    assert services.activities_advance_clock() == 1
    activity.refresh_from_db()
    assert activity.status == "closed"
    event = AuditEvent.objects.filter(action=Action.ACTIVITY_TRANSITIONED).get()
    assert (event.actor_id, event.actor_role, (event.after or {})["by"]) == (None, "", "clock")


def test_the_clock_may_not_do_what_only_people_do() -> None:
    with pytest.raises(NotPermitted, match="Heard's clock may not"):
        services.activity_save(actor=CLOCK, activity=_made(), fields={"summary": "x"})  # type: ignore[arg-type]
    with pytest.raises(NotPermitted, match="Sign in"):
        builder.questionnaire_create(actor=None, activity=_made(), title="Views")  # type: ignore[arg-type]


def test_the_general_feedback_form_is_made_by_heard_itself() -> None:
    q = builder.general_feedback_ensure()
    assert q.is_general_feedback and builder.general_feedback_ensure() == q
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_CREATED)
    assert event.actor_id is None
