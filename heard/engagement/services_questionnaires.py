"""Building questionnaires. Versioned: once a version has responses it is frozen, and
the first edit after that copies it into a new *draft* version which takes the edit (see
``questionnaire.needs_new_version``). The public keeps answering the last published
version until staff publish the draft (``questionnaire_draft_publish``), and staff can
throw the draft away (``questionnaire_draft_discard``): a change to a live questionnaire
can be undone until it is published. Each response keeps the version it answered.
Every change is audited with ids and field names only.
"""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from heard.accounts.actors import Actor
from heard.audit.models import Action
from heard.audit.services import audit_record, audits_refusals
from heard.core.actors import SETUP, SystemActor, require
from heard.engagement import domain, questionnaire, selectors_responses
from heard.engagement.models import (
    Activity,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Section,
)


class BuilderProblem(ValueError):
    """The change would make the questionnaire inconsistent; the message says how to fix it."""


QUESTION_FIELDS = (
    "kind",
    "text",
    "hint",
    "required",
    "options",
    "max_length",
    "min_value",
    "max_value",
    "show_if_key",
    "show_if_values",
)


@dataclass
class Editable:
    """The version to edit, and how ids of the version the page showed map onto it."""

    version: QuestionnaireVersion
    sections: dict[int, int]
    questions: dict[int, int]
    new: bool


CHANGE = "engagement.change_activities"


def _may_change(actor: Actor) -> None:
    require(actor, CHANGE, to="change a questionnaire")


_ENDED = (domain.Status.CLOSED, domain.Status.FEEDBACK_PUBLISHED, domain.Status.ARCHIVED)


def _refuse_if_closed(q: Questionnaire) -> None:
    """A questionnaire whose activity has closed is part of the record of what people
    were asked: no new version, no new wording, not even a new title."""
    activity = Activity.objects.filter(pk=q.activity_id).first() if q.activity_id else None
    if activity is None:
        return
    if domain.effective_status(activity.facts(), timezone.now()) in _ENDED:
        raise BuilderProblem(
            "This activity has closed: its questionnaire is part of the record of what "
            "people were asked and can no longer change. To ask something new, make a new "
            "activity."
        )


def questionnaire_create(
    *,
    actor: Actor | SystemActor,
    activity: Activity | None,
    title: str,
    introduction: str = "",
    is_general_feedback: bool = False,
) -> Questionnaire:
    """A questionnaire with version 1 and one empty page. Heard makes the general
    feedback form itself (``SETUP``); any other is made by staff who manage activities."""
    require(actor, CHANGE, to="make a questionnaire", system=is_general_feedback)
    with transaction.atomic():
        q = Questionnaire.objects.create(
            activity=activity,
            title=title,
            introduction=introduction,
            is_general_feedback=is_general_feedback,
        )
        version = QuestionnaireVersion.objects.create(
            questionnaire=q, number=1, created_by=_user(actor)
        )
        Section.objects.create(version=version, position=1, title="Your views")
        audit_record(
            action=Action.QUESTIONNAIRE_CREATED,
            actor=actor,
            subject=q,
            after={"activity": activity.pk if activity else None, "version": 1},
        )
    return q


def questionnaire_details_save(
    *, actor: Actor, q: Questionnaire, title: str, introduction: str
) -> Questionnaire:
    """Change the title and the introduction people read first (not versioned: they are
    not questions, and responses do not depend on them). Refused once the activity has
    closed."""
    _may_change(actor)
    with transaction.atomic():
        q = Questionnaire.objects.select_for_update().get(pk=q.pk)
        _refuse_if_closed(q)
        changed = [
            name
            for name, value in (("title", title), ("introduction", introduction))
            if getattr(q, name) != value
        ]
        q.title, q.introduction = title, introduction
        q.save(update_fields=["title", "introduction"])
        audit_record(
            action=Action.QUESTIONNAIRE_CHANGED,
            actor=actor,
            subject=q,
            after={"change": "details", "fields": changed},
        )
    return q


def _user(actor: object) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _copy_version(old: QuestionnaireVersion, actor: Actor | SystemActor) -> Editable:
    new = QuestionnaireVersion.objects.create(
        questionnaire=old.questionnaire,
        number=old.number + 1,
        created_by=_user(actor),
        published_at=None,
    )
    sections: dict[int, int] = {}
    for s in old.sections.order_by("position", "pk"):
        copy = Section.objects.create(
            version=new, position=s.position, title=s.title, introduction=s.introduction
        )
        sections[s.pk] = copy.pk
    questions: dict[int, int] = {}
    for qn in Question.objects.filter(version=old).order_by("pk"):
        copy_q = Question.objects.create(
            version=new,
            section_id=sections[qn.section_id],
            key=qn.key,
            position=qn.position,
            **{f: getattr(qn, f) for f in QUESTION_FIELDS},
        )
        questions[qn.pk] = copy_q.pk
    audit_record(
        action=Action.QUESTIONNAIRE_VERSIONED,
        actor=actor,
        subject=old.questionnaire,
        before={"version": old.number},
        after={"version": new.number},
    )
    return Editable(version=new, sections=sections, questions=questions, new=True)


def editable_version(*, actor: Actor, q: Questionnaire) -> Editable:
    """The newest version if it is a draft or has no responses yet, else a fresh draft
    copy of it. Refused once the activity has closed."""
    _may_change(actor)
    _refuse_if_closed(q)
    current = (
        QuestionnaireVersion.objects.select_for_update().filter(questionnaire=q).order_by("-number")
    ).first()
    if current is None:
        current = QuestionnaireVersion.objects.create(
            questionnaire=q, number=1, created_by=_user(actor)
        )
    if current.published_at is not None and questionnaire.needs_new_version(
        response_count=selectors_responses.version_response_count(current)
    ):
        return _copy_version(current, actor)
    ids_s = {pk: pk for pk in current.sections.values_list("pk", flat=True)}
    ids_q = {pk: pk for pk in Question.objects.filter(version=current).values_list("pk", flat=True)}
    return Editable(version=current, sections=ids_s, questions=ids_q, new=False)


def _changed(
    actor: Actor, q: Questionnaire, version: QuestionnaireVersion, what: str, **ids: Any
) -> None:
    audit_record(
        action=Action.QUESTIONNAIRE_CHANGED,
        actor=actor,
        subject=q,
        after={"version": version.number, "change": what, **ids},
    )


def section_save(
    *,
    actor: Actor,
    q: Questionnaire,
    section_id: int | None,
    title: str,
    introduction: str = "",
) -> Section:
    """Add a page (``section_id=None``) or rename one."""
    _may_change(actor)
    with transaction.atomic():
        ed = editable_version(actor=actor, q=q)
        if section_id is None:
            last = ed.version.sections.aggregate(m=Max("position"))["m"] or 0
            section = Section.objects.create(
                version=ed.version, position=last + 1, title=title, introduction=introduction
            )
            _changed(actor, q, ed.version, "section_added", section=section.pk)
        else:
            if section_id not in ed.sections:
                raise BuilderProblem("That page is not in this questionnaire any more.")
            section = Section.objects.get(pk=ed.sections[section_id])
            section.title, section.introduction = title, introduction
            section.save(update_fields=["title", "introduction"])
            _changed(actor, q, ed.version, "section_changed", section=section.pk)
    return section


def section_delete(*, actor: Actor, q: Questionnaire, section_id: int) -> None:
    """Remove an empty page. A page with questions is refused: move or delete them first."""
    _may_change(actor)
    with transaction.atomic():
        ed = editable_version(actor=actor, q=q)
        if section_id not in ed.sections:
            raise BuilderProblem("That page is not in this questionnaire any more.")
        section = Section.objects.get(pk=ed.sections[section_id])
        if section.questions.exists():
            raise BuilderProblem(
                "This page still has questions. Delete or move them before deleting the page."
            )
        section.delete()
        _changed(actor, q, ed.version, "section_deleted", section=section_id)


def _unique_key(version: QuestionnaireVersion, text: str) -> str:
    base = slugify(text)[:40].replace("-", "_") or "question"
    taken = set(Question.objects.filter(version=version).values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    return key


def question_save(
    *,
    actor: Actor,
    q: Questionnaire,
    question_id: int | None,
    section_id: int,
    fields: dict[str, Any],
    meaning_changed: bool = False,
) -> Question:
    """Add or change a question. Its condition must point at an earlier question and
    at answers that question offers (BuilderProblem otherwise). ``meaning_changed``: the
    new wording asks something different, so the question takes a new key and its
    answers are analysed apart from those to the old wording (questions shown depending
    on it follow it)."""
    _may_change(actor)
    fields = {k: v for k, v in fields.items() if k in QUESTION_FIELDS}
    with transaction.atomic():
        ed = editable_version(actor=actor, q=q)
        if section_id not in ed.sections:
            raise BuilderProblem("That page is not in this questionnaire any more.")
        target_section = ed.sections[section_id]
        if question_id is None:
            last = (
                Question.objects.filter(section_id=target_section).aggregate(m=Max("position"))["m"]
                or 0
            )
            question = Question(
                version=ed.version,
                section_id=target_section,
                key=_unique_key(ed.version, str(fields.get("text", ""))),
                position=last + 1,
            )
            change = "question_added"
        else:
            if question_id not in ed.questions:
                raise BuilderProblem("That question is not in this questionnaire any more.")
            question = Question.objects.get(pk=ed.questions[question_id])
            if question.section_id != target_section:
                question.section_id = target_section
            change = "question_changed"
            if meaning_changed:
                old_key = question.key
                question.key = _unique_key(ed.version, str(fields.get("text", question.text)))
                Question.objects.filter(version=ed.version, show_if_key=old_key).update(
                    show_if_key=question.key
                )
                change = "question_meaning_changed"
        for name, value in fields.items():
            setattr(question, name, value)
        question.save()
        view = selectors_responses.version_view(ed.version)
        problems = questionnaire.condition_problems(view.specs)
        if problems:
            transaction.set_rollback(True)
            raise BuilderProblem(" ".join(problems))
        _changed(actor, q, ed.version, change, question=question.pk, fields=sorted(fields.keys()))
    return question


def question_delete(*, actor: Actor, q: Questionnaire, question_id: int) -> None:
    """Delete a question that no other question depends on."""
    _may_change(actor)
    with transaction.atomic():
        ed = editable_version(actor=actor, q=q)
        if question_id not in ed.questions:
            raise BuilderProblem("That question is not in this questionnaire any more.")
        question = Question.objects.get(pk=ed.questions[question_id])
        dependants = Question.objects.filter(version=ed.version, show_if_key=question.key)
        if dependants.exists():
            raise BuilderProblem(
                f"“{dependants[0].text}” is shown depending on this question. "
                "Change its condition before deleting this question."
            )
        question.delete()
        _changed(actor, q, ed.version, "question_deleted", question=question_id)


def question_move(*, actor: Actor, q: Questionnaire, question_id: int, direction: str) -> None:
    """Move a question up or down within its page."""
    _may_change(actor)
    with transaction.atomic():
        ed = editable_version(actor=actor, q=q)
        if question_id not in ed.questions:
            raise BuilderProblem("That question is not in this questionnaire any more.")
        question = Question.objects.get(pk=ed.questions[question_id])
        siblings = list(
            Question.objects.filter(section_id=question.section_id).order_by("position", "pk")
        )
        i = next(n for n, s in enumerate(siblings) if s.pk == question.pk)
        j = i - 1 if direction == "up" else i + 1
        if not 0 <= j < len(siblings):
            return
        siblings[i], siblings[j] = siblings[j], siblings[i]
        for position, s in enumerate(siblings, 1):
            if s.position != position:
                s.position = position
                s.save(update_fields=["position"])
        view = selectors_responses.version_view(ed.version)
        problems = questionnaire.condition_problems(view.specs)
        if problems:
            transaction.set_rollback(True)
            raise BuilderProblem(
                "A question cannot come before the question it depends on. " + " ".join(problems)
            )
        _changed(actor, q, ed.version, "question_moved", question=question.pk)


def _draft(q: Questionnaire) -> QuestionnaireVersion:
    newest = (
        QuestionnaireVersion.objects.select_for_update().filter(questionnaire=q).order_by("-number")
    ).first()
    if newest is None or newest.published_at is not None:
        raise BuilderProblem(
            "There are no unpublished changes to this questionnaire: "
            "someone may have published or discarded them already."
        )
    return newest


@audits_refusals("questionnaire.publish", subject="q")
def questionnaire_draft_publish(*, actor: Actor, q: Questionnaire) -> QuestionnaireVersion:
    """Publish the draft of changes: from now on the public answers it. Refused when there
    is no draft (published or discarded already, or a second click) and for staff who may
    not change activities."""
    _may_change(actor)
    with transaction.atomic():
        _refuse_if_closed(q)
        draft = _draft(q)
        if not Question.objects.filter(version=draft).exists():
            raise BuilderProblem(
                "These changes remove every question. Add a question, or discard the changes."
            )
        draft.published_at = timezone.now()
        draft.save(update_fields=["published_at"])
        _changed(actor, q, draft, "draft_published")
    return draft


def questionnaire_draft_discard(*, actor: Actor, q: Questionnaire) -> int:
    """Undo every unpublished change: the draft version is deleted and the questionnaire
    is again the last published version. Returns the number of the version discarded."""
    _may_change(actor)
    with transaction.atomic():
        draft = _draft(q)
        if Response.objects.filter(version=draft).exists():  # defensive: drafts take none
            raise BuilderProblem("These changes already have responses and cannot be discarded.")
        number = draft.number
        Question.objects.filter(version=draft).delete()
        draft.delete()
        audit_record(
            action=Action.QUESTIONNAIRE_CHANGED,
            actor=actor,
            subject=q,
            after={"version": number, "change": "draft_discarded"},
        )
    return number


GENERAL_FEEDBACK_TITLE = "Tell us what you think"


def general_feedback_ensure() -> Questionnaire:
    """The always-open feedback form, not tied to any activity; made once."""
    existing = selectors_responses.general_feedback_questionnaire()
    if existing is not None:
        return existing
    try:
        return _general_feedback_create()
    except IntegrityError:  # made at the same moment by another request
        made = selectors_responses.general_feedback_questionnaire()
        if made is None:
            raise
        return made


def _general_feedback_create() -> Questionnaire:
    with transaction.atomic():
        q = questionnaire_create(
            actor=SETUP,
            activity=None,
            title=GENERAL_FEEDBACK_TITLE,
            introduction=(
                "Tell us about any health or care service in our area, at any time. "
                "Everything you tell us is read and kept as insight."
            ),
            is_general_feedback=True,
        )
        version = q.versions.get()
        section = version.sections.get()
        section.title = "Your feedback"
        section.save(update_fields=["title"])
        Question.objects.create(
            version=version,
            section=section,
            key="about",
            position=1,
            kind=Question.Kind.SHORT_TEXT,
            text="Which service or topic is your feedback about?",
            hint="For example, your GP practice, a hospital ward or NHS 111",
        )
        Question.objects.create(
            version=version,
            section=section,
            key="feedback",
            position=2,
            kind=Question.Kind.LONG_TEXT,
            text="What would you like to tell us?",
            hint="Do not include names or details that could identify you or someone else",
            required=True,
            max_length=2000,
        )
        Question.objects.create(
            version=version,
            section=section,
            key="postcode",
            position=3,
            kind=Question.Kind.POSTCODE,
            text="What is your postcode?",
            hint="Optional. It helps us see which areas we hear from",
        )
    return q
