"""The staff builder: pages, questions, conditions, versioning once responses exist."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement import selectors_responses
from heard.engagement import services_questionnaires as builder
from heard.engagement.models import Answer, Question, QuestionnaireVersion, Response, Section
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
    # A second edit changes version 2 in place (a draft: it cannot have responses).
    assert v2.published_at is None
    builder.section_save(
        actor=staff_member(Role.ENGAGEMENT_OFFICER),
        q=q,
        section_id=v2.sections.first().pk,
        title="Renamed",
    )
    assert QuestionnaireVersion.objects.filter(questionnaire=q).count() == 2


def test_a_question_others_depend_on_cannot_be_deleted(officer):
    q = make_questionnaire()
    used = Question.objects.get(version__questionnaire=q, key="used")
    r = officer.post(
        reverse("engagement:builder_question_delete", args=[q.activity_id, used.pk]),
        {"confirm": "yes"},
        follow=True,
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
        builder.question_move(
            actor=staff_member(Role.ENGAGEMENT_OFFICER),
            q=q,
            question_id=experience.pk,
            direction="up",
        )
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


def _live(q):
    """A questionnaire with one online response, as if people were answering it."""
    v1 = q.current_version()
    response = Response.objects.create(
        activity=q.activity, questionnaire=q, version=v1, reference="HYS-AAAA-CCCC"
    )
    Answer.objects.create(
        response=response, question=Question.objects.get(version=v1, key="agree"), value="agree"
    )
    return v1


def test_deleting_a_question_people_answered_asks_first_and_can_be_undone(officer):
    q = make_questionnaire()
    v1 = _live(q)
    agree = Question.objects.get(version=v1, key="agree")
    url = reverse("engagement:builder_question_delete", args=[q.activity_id, agree.pk])
    # The builder offers a link to a confirmation page, not a one-click delete.
    page = officer.get(reverse("engagement:builder", args=[q.activity_id])).content.decode()
    assert f'href="{url}"' in page
    confirm = officer.get(url).content.decode()
    assert "Are you sure you want to delete this question?" in confirm
    assert "1 person has answered this question. Their answers are kept" in confirm
    assert "until you publish your changes" in confirm
    assert Question.objects.filter(pk=agree.pk).exists()
    # A POST without the confirmation only shows the question again: nothing deleted.
    officer.post(url)
    assert QuestionnaireVersion.objects.filter(questionnaire=q).count() == 1
    r = officer.post(url, {"confirm": "yes"}, follow=True)
    assert "People answering now still see it until you publish" in r.content.decode()
    draft = q.current_version()
    assert draft.number == 2 and draft.published_at is None
    assert not Question.objects.filter(version=draft, key="agree").exists()
    # The public still answers version 1 with the question in it.
    assert selectors_responses.respondable_version(q) == v1
    assert (
        "Unpublished changes"
        in officer.get(reverse("engagement:builder", args=[q.activity_id])).content.decode()
    )
    # Undo: discard the draft; version 1 is what the builder and the public see again.
    r = officer.post(reverse("engagement:builder_discard", args=[q.activity_id]), follow=True)
    assert "Your unpublished changes have been discarded" in r.content.decode()
    assert list(QuestionnaireVersion.objects.filter(questionnaire=q)) == [v1]
    assert Question.objects.filter(version=v1, key="agree").exists()
    assert Answer.objects.filter(question=agree).count() == 1
    changes = [
        e.after["change"]
        for e in AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_CHANGED).order_by("pk")
    ]
    assert changes == ["question_deleted", "draft_discarded"]


def test_publishing_changes_makes_them_what_people_answer_once(officer):
    q = make_questionnaire()
    v1 = _live(q)
    agree = Question.objects.get(version=v1, key="agree")
    officer.post(
        reverse("engagement:builder_question_delete", args=[q.activity_id, agree.pk]),
        {"confirm": "yes"},
    )
    publish = reverse("engagement:builder_publish", args=[q.activity_id])
    r = officer.post(publish, follow=True)
    assert "Version 2 is published" in r.content.decode()
    v2 = selectors_responses.respondable_version(q)
    assert v2.number == 2 and v2.published_at is not None
    assert not Question.objects.filter(version=v2, key="agree").exists()
    # A second click (or a second officer) finds nothing left to publish, and says so.
    r = officer.post(publish, follow=True)
    assert "There are no unpublished changes" in r.content.decode()
    assert (
        AuditEvent.objects.filter(
            action=Action.QUESTIONNAIRE_CHANGED, after__change="draft_published"
        ).count()
        == 1
    )


def test_publish_and_discard_refuse_staff_who_may_not_change_activities(make_staff):
    q = make_questionnaire()
    _live(q)
    builder.section_save(
        actor=staff_member(Role.ENGAGEMENT_OFFICER),
        q=q,
        section_id=q.current_version().sections.first().pk,
        title="Renamed",
    )
    for role in (Role.SCRUTINY_READER, Role.ANALYST, Role.DECISION_MAKER):
        actor = make_staff(role)
        with pytest.raises(PermissionDenied):
            builder.questionnaire_draft_publish(actor=actor, q=q)
        with pytest.raises(PermissionDenied):
            builder.questionnaire_draft_discard(actor=actor, q=q)
    with pytest.raises(PermissionDenied):
        builder.questionnaire_draft_publish(actor=None, q=q)
    assert q.current_version().published_at is None


def test_a_draft_that_removes_every_question_cannot_be_published(make_staff):
    q = make_questionnaire()
    v1 = _live(q)
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    # The dependant first, then the rest (the first delete starts the draft).
    for key in ("experience", "as", "used", "agree", "matters", "about_you"):
        question = Question.objects.get(version=q.current_version(), key=key)
        builder.question_delete(actor=officer, q=q, question_id=question.pk)
    assert q.current_version().number == 2
    with pytest.raises(builder.BuilderProblem, match="remove every question"):
        builder.questionnaire_draft_publish(actor=officer, q=q)
    assert selectors_responses.respondable_version(q) == v1


def test_rewording_an_answered_question_asks_whether_its_meaning_changed(officer):
    q = make_questionnaire()
    v1 = _live(q)
    agree = Question.objects.get(version=v1, key="agree")
    url = reverse("engagement:builder_question", args=[q.activity_id])
    data = {
        "question_id": agree.pk,
        "section": agree.section_id,
        "kind": "likert",
        "text": "Nurses should visit in the evenings",
    }
    r = officer.post(url, data)
    assert r.status_code == 400
    body = r.content.decode()
    assert "1 person has answered this question already" in body
    assert "Does the new wording still ask the same thing?" in body
    assert QuestionnaireVersion.objects.filter(questionnaire=q).count() == 1
    # Same meaning: the key stays, so old and new answers are analysed together.
    r = officer.post(url, {**data, "meaning": "same"})
    assert r.status_code == 302
    draft = q.current_version()
    assert Question.objects.get(version=draft, key="agree").text.endswith("evenings")


def test_a_question_whose_meaning_changed_gets_a_new_key_and_its_dependants_follow(make_staff):
    q = make_questionnaire()
    v1 = _live(q)
    used = Question.objects.get(version=v1, key="used")
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    builder.question_save(
        actor=officer,
        q=q,
        question_id=used.pk,
        section_id=used.section_id,
        fields={"kind": "yes_no", "text": "Have you had care at home this year?"},
        meaning_changed=True,
    )
    draft = q.current_version()
    new = Question.objects.get(version=draft, text="Have you had care at home this year?")
    assert new.key != "used"
    assert Question.objects.get(version=draft, key="experience").show_if_key == new.key
    # The published version is untouched.
    assert Question.objects.get(version=v1, key="used").text == used.text


@pytest.mark.parametrize("status", ["closed", "feedback_published", "archived"])
def test_a_closed_activity_s_questionnaire_cannot_change(status):
    """What people were asked is part of the record once the activity has closed: every
    builder change is refused with what to do instead, and nothing is recorded."""
    activity = ActivityFactory(status="open")
    q = make_questionnaire(activity)
    QuestionnaireVersion.objects.filter(questionnaire=q).update(published_at=timezone.now())
    section = Section.objects.filter(version__questionnaire=q).order_by("position").first()
    question = Question.objects.filter(version__questionnaire=q).order_by("pk").first()
    assert section is not None and question is not None
    type(activity).objects.filter(pk=activity.pk).update(status=status)
    actor = staff_member(Role.ENGAGEMENT_OFFICER)
    changes = AuditEvent.objects.exclude(action=Action.ACT_REFUSED)
    events = changes.count()
    attempts = [
        lambda: builder.section_save(actor=actor, q=q, section_id=section.pk, title="New"),
        lambda: builder.section_save(actor=actor, q=q, section_id=None, title="Another page"),
        lambda: builder.question_save(
            actor=actor,
            q=q,
            question_id=question.pk,
            section_id=section.pk,
            fields={"kind": question.kind, "text": "Something else entirely?"},
        ),
        lambda: builder.question_delete(actor=actor, q=q, question_id=question.pk),
        lambda: builder.question_move(actor=actor, q=q, question_id=question.pk, direction="down"),
        lambda: builder.questionnaire_details_save(
            actor=actor, q=q, title="A new title", introduction=""
        ),
        lambda: builder.questionnaire_draft_publish(actor=actor, q=q),
    ]
    for attempt in attempts:
        with pytest.raises(builder.BuilderProblem, match=r"has closed.*make a new activity"):
            attempt()
    assert changes.count() == events
    # The refused publication (a legally significant act) is itself in the audit trail.
    assert AuditEvent.objects.filter(action=Action.ACT_REFUSED).count() == 1
    assert QuestionnaireVersion.objects.filter(questionnaire=q).count() == 1


def test_an_open_activity_s_questionnaire_still_changes_as_a_new_version():
    activity = ActivityFactory(status="open")
    q = make_questionnaire(activity)
    QuestionnaireVersion.objects.filter(questionnaire=q).update(published_at=timezone.now())
    section = Section.objects.filter(version__questionnaire=q).order_by("position").first()
    assert section is not None
    actor = staff_member(Role.ENGAGEMENT_OFFICER)
    builder.section_save(actor=actor, q=q, section_id=section.pk, title="About the care you had")
    assert QuestionnaireVersion.objects.filter(questionnaire=q).count() == 1  # no responses yet
