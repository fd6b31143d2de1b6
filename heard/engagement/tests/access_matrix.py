from heard.core.roles import Role
from heard.core.testing import ALL_STAFF, Access


def _activity():
    from heard.engagement.tests.factories import ActivityFactory

    return {"pk": ActivityFactory().pk}


CHANGE = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD}
EXPECTED = {
    "engagement:list": Access(ALL_STAFF),
    "engagement:detail": Access(ALL_STAFF, kwargs=_activity),
    "engagement:create": Access(CHANGE),
    "engagement:edit": Access(CHANGE, kwargs=_activity),
    "engagement:transition": Access(
        CHANGE, kwargs=_activity, method="post", data={"target": "closed"}
    ),
    "engagement:feedback": Access(
        CHANGE, kwargs=_activity, method="post", data={"feedback": "We did it"}
    ),
    "engagement:documents": Access(CHANGE, kwargs=_activity),
    "engagement:format_requests": Access(CHANGE),
    "engagement:format_request_close": Access(CHANGE, kwargs=lambda: _format_request()),
    # Erasing a respondent's words on request: administrators only.
    "engagement:response_erase": Access({Role.ADMINISTRATOR}),
}


def _format_request():
    from datetime import date

    from heard.engagement.models import FormatRequest
    from heard.engagement.tests.factories import ActivityFactory

    request = FormatRequest.objects.create(
        activity=ActivityFactory(),
        format="audio",
        contact_email="a@example.org",
        due_by=date(2030, 1, 1),
    )
    return {"pk": request.pk}


# Questionnaires and responses (builder, data entry, import): every staff member may
# look; only those who run activities may change questionnaires or add responses.
def _with_import():
    from heard.engagement.models import ResponseImport
    from heard.engagement.tests.test_respond import make_questionnaire

    q = make_questionnaire()
    batch = ResponseImport.objects.create(
        activity=q.activity, version=q.versions.first(), filename="paper.csv", status="done"
    )
    return {"pk": q.activity_id, "import_pk": batch.pk}


def _with_questionnaire():
    from heard.engagement.tests.test_respond import make_questionnaire

    q = make_questionnaire()
    return {"pk": q.activity_id}


def _with_question():
    from heard.engagement.models import Question
    from heard.engagement.tests.test_respond import make_questionnaire

    q = make_questionnaire()
    question = Question.objects.filter(version__questionnaire=q, key="agree").get()
    return {"pk": q.activity_id, "question_id": question.pk}


def _with_empty_section():
    from heard.engagement.models import Section
    from heard.engagement.tests.test_respond import make_questionnaire

    q = make_questionnaire()
    section = Section.objects.create(version=q.current_version(), position=9, title="Spare")
    return {"pk": q.activity_id, "section_id": section.pk}


EXPECTED.update(
    {
        "engagement:builder": Access(ALL_STAFF, kwargs=_with_questionnaire),
        "engagement:builder_create": Access(CHANGE, kwargs=_activity, method="post"),
        "engagement:builder_preview": Access(ALL_STAFF, kwargs=_with_questionnaire),
        "engagement:builder_section": Access(CHANGE, kwargs=_with_questionnaire),
        "engagement:builder_section_delete": Access(
            CHANGE, kwargs=_with_empty_section, method="post"
        ),
        "engagement:builder_question": Access(CHANGE, kwargs=_with_questionnaire),
        "engagement:builder_question_delete": Access(CHANGE, kwargs=_with_question),
        "engagement:builder_publish": Access(CHANGE, kwargs=_with_questionnaire, method="post"),
        "engagement:builder_discard": Access(CHANGE, kwargs=_with_questionnaire, method="post"),
        "engagement:builder_question_move": Access(
            CHANGE, kwargs=_with_question, method="post", data={"direction": "up"}
        ),
        "engagement:responses": Access(ALL_STAFF, kwargs=_with_questionnaire),
        "engagement:responses_enter": Access(CHANGE, kwargs=_with_questionnaire),
        "engagement:responses_import": Access(CHANGE, kwargs=_with_questionnaire),
        "engagement:responses_import_detail": Access(CHANGE, kwargs=_with_import),
        "engagement:responses_import_rejected": Access(CHANGE, kwargs=_with_import),
        "engagement:responses_import_cancel": Access(CHANGE, kwargs=_with_import, method="post"),
        "engagement:responses_import_delete": Access(CHANGE, kwargs=_with_import, method="post"),
    }
)


def _with_response():
    from heard.engagement.models import Response
    from heard.engagement.tests.test_respond import make_questionnaire

    q = make_questionnaire()
    response = Response.objects.create(
        activity=q.activity, questionnaire=q, version=q.current_version(), reference="HYS-MTRX-2345"
    )
    return {"pk": q.activity_id, "reference": response.reference}


EXPECTED.update(
    {
        "engagement:response_find": Access(CHANGE, kwargs=_with_questionnaire),
        "engagement:response_detail": Access(CHANGE, kwargs=_with_response),
    }
)

EXPECTED["engagement:builder_details"] = Access(CHANGE, kwargs=_with_questionnaire)
