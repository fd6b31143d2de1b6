"""The staff builder: pages, questions, conditions, versioning once responses exist."""

import pytest
from django.urls import reverse

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement import services_questionnaires as builder
from heard.engagement.models import Question, QuestionnaireVersion, Response, Section
from heard.engagement.tests.factories import ActivityFactory
from heard.engagement.tests.test_respond import make_questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, make_staff):
    client.force_login(make_staff(Role.ENGAGEMENT_OFFICER))
    return client


def test_staff_build_a_questionnaire_with_a_conditional_question(officer):
    activity = ActivityFactory()
    officer.post(reverse("engagement:builder_create", args=[activity.pk]))
    section = Section.objects.get(version__questionnaire__activity=activity)
    url = reverse("engagement:builder_question", args=[activity.pk])
    r = officer.post(
        url,
        {
            "section": section.pk,
            "kind": "yes_no",
            "text": "Have you used the service?",
            "required": "on",
        },
    )
    assert r.status_code == 302
    used = Question.objects.get(text="Have you used the service?")
    # A condition on an answer the trigger does not offer is refused, in words.
    r = officer.post(
        url,
        {
            "section": section.pk,
            "kind": "long_text",
            "text": "What happened?",
            "show_if_key": used.key,
            "show_if_values": "Maybe",
        },
    )
    assert r.status_code == 400
    assert "is not an answer to that question. It offers: Yes, No" in r.content.decode()
    r = officer.post(
        url,
        {
            "section": section.pk,
            "kind": "long_text",
            "text": "What happened?",
            "max_length": "800",
            "show_if_key": used.key,
            "show_if_values": "Yes",
        },
    )
    assert r.status_code == 302
    follow = Question.objects.get(text="What happened?")
    assert follow.show_if_values == ["yes"] and follow.max_length == 800
    page = officer.get(reverse("engagement:builder", args=[activity.pk])).content.decode()
    assert "Shown only when ‘Have you used the service?’ is answered ‘Yes’" in page
    preview = officer.get(reverse("engagement:builder_preview", args=[activity.pk]))
    assert "Answer this if you answered ‘Yes’" in preview.content.decode()


def test_choice_questions_need_two_options(officer):
    q = make_questionnaire()
    section = Section.objects.filter(version__questionnaire=q).first()
    r = officer.post(
        reverse("engagement:builder_question", args=[q.activity_id]),
        {"section": section.pk, "kind": "single_choice", "text": "Pick", "options": "One"},
    )
    assert r.status_code == 400
    assert "Enter at least two options" in r.content.decode()


def test_editing_after_responses_makes_a_new_version_and_old_responses_keep_theirs(officer):
    q = make_questionnaire()
    v1 = q.current_version()
    Response.objects.create(
        activity=q.activity, questionnaire=q, version=v1, reference="HYS-AAAA-BBBB"
    )
    agree = Question.objects.get(version=v1, key="agree")
    r = officer.post(
        reverse("engagement:builder_question", args=[q.activity_id]),
        {
            "question_id": agree.pk,
            "section": agree.section_id,
            "kind": "likert",
            "text": "Nurses should visit at weekends",
        },
    )
    assert r.status_code == 302
    v2 = q.current_version()
    assert v2.number == 2
    assert (
        Question.objects.get(version=v1, key="agree").text == "Nurses should visit in the evening"
    )
    assert Question.objects.get(version=v2, key="agree").text == "Nurses should visit at weekends"
    assert (
        Question.objects.filter(version=v2).count() == Question.objects.filter(version=v1).count()
    )
    assert Response.objects.get().version == v1
    assert AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_VERSIONED).count() == 1
    # A second edit changes version 2 in place (it has no responses yet).
    builder.section_save(actor=None, q=q, section_id=v2.sections.first().pk, title="Renamed")
    assert QuestionnaireVersion.objects.filter(questionnaire=q).count() == 2


def test_a_question_others_depend_on_cannot_be_deleted(officer):
    q = make_questionnaire()
    used = Question.objects.get(version__questionnaire=q, key="used")
    r = officer.post(
        reverse("engagement:builder_question_delete", args=[q.activity_id, used.pk]), follow=True
    )
    assert "is shown depending on this question" in r.content.decode()
    assert Question.objects.filter(pk=used.pk).exists()


def test_a_question_cannot_move_above_the_one_it_depends_on():
    q = make_questionnaire()
    v = q.current_version()
    page1 = v.sections.order_by("position").first()
    # "experience" depends on "used" (position 2 on page 1): put it just after it.
    Question.objects.filter(version=v, key="experience").update(section=page1, position=3)
    experience = Question.objects.get(version=v, key="experience")
    with pytest.raises(builder.BuilderProblem, match="cannot come before"):
        builder.question_move(actor=None, q=q, question_id=experience.pk, direction="up")
    assert Question.objects.get(pk=experience.pk).position == 3


def test_scrutiny_reader_sees_the_builder_without_change_links(client, make_staff):
    q = make_questionnaire()
    client.force_login(make_staff(Role.SCRUTINY_READER))
    page = client.get(reverse("engagement:builder", args=[q.activity_id])).content.decode()
    assert "Nurses should visit in the evening" in page
    assert "Add a question" not in page


def test_staff_change_the_introduction_people_read_first(officer, client):
    q = make_questionnaire()
    url = reverse("engagement:builder_details", args=[q.activity_id])
    r = officer.post(url, {"title": "", "introduction": "x"})
    assert r.status_code == 400 and "Enter a title" in r.content.decode()
    r = officer.post(url, {"title": q.title, "introduction": "It takes five minutes."})
    assert r.status_code == 302
    public = client.get(reverse("engagement_public:respond", args=[q.activity.slug]))
    assert "It takes five minutes." in public.content.decode()
    event = AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_CHANGED).last()
    assert event.after["fields"] == ["introduction"]
