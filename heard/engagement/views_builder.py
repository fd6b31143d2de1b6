"""Staff questionnaire builder: pages, questions, conditions, preview. Edits go through
services_questionnaires, which makes a new version once the current one has responses."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from heard.core.permissions import permission_required
from heard.engagement import selectors_responses
from heard.engagement import services_questionnaires as services
from heard.engagement.forms_responses import QuestionForm, QuestionnaireDetailsForm, SectionForm
from heard.engagement.models import Activity, Question, Questionnaire, Response, Section
from heard.engagement.views_respond import field_context


def _questionnaire(activity: Activity) -> Questionnaire:
    q = selectors_responses.questionnaire_for_activity(activity)
    if q is None:
        raise Http404("This activity has no questionnaire yet")
    return q


@permission_required("engagement.view_activities")
def builder(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    q = selectors_responses.questionnaire_for_activity(activity)
    context: dict[str, Any] = {"activity": activity, "q": q}
    if q is not None:
        version = q.current_version()
        if version is not None:
            view = selectors_responses.version_view(version)
            sections = list(version.sections.order_by("position", "pk"))
            questions = list(Question.objects.filter(version=version))
            context.update(
                {
                    "version": version,
                    "sections": [
                        (
                            s,
                            [
                                (qn, _condition(qn, view))
                                for qn in questions
                                if qn.section_id == s.pk
                            ],
                        )
                        for s in sections
                    ],
                    "frozen_count": selectors_responses.version_response_count(version),
                    "draft": version.published_at is None,
                    "live_version": selectors_responses.respondable_version(q),
                    "versions": q.versions.order_by("-number"),
                    "view": view,
                }
            )
    return render(request, "engagement/builder/builder.html", context)


def _condition(question: Question, view: selectors_responses.VersionView) -> str:
    if not question.show_if_key:
        return ""
    trigger = view.spec(question.show_if_key)
    if trigger is None:
        return "Shown only when an earlier answer matches (the question it depends on is gone)"
    labels = dict(trigger.choices())
    answers = " or ".join(f"‘{labels.get(v, v)}’" for v in question.show_if_values or [])
    return f"Shown only when ‘{trigger.text}’ is answered {answers}"


@require_POST
@permission_required("engagement.change_activities")
def create(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    if selectors_responses.questionnaire_for_activity(activity) is None:
        services.questionnaire_create(actor=request.user, activity=activity, title=activity.title)
        messages.success(request, "The questionnaire has been created. Add your questions.")
    return redirect("engagement:builder", pk=pk)


@permission_required("engagement.change_activities")
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    q = _questionnaire(activity)
    section_id = _int(request.GET.get("section") or request.POST.get("section_id"))
    section = (
        Section.objects.filter(pk=section_id, version__questionnaire=q).first()
        if section_id
        else None
    )
    initial = {"title": section.title, "introduction": section.introduction} if section else {}
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_save(
                actor=request.user,
                q=q,
                section_id=section.pk if section else None,
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
            )
        except services.BuilderProblem as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The page has been saved.")
            return redirect("engagement:builder", pk=pk)
    return render(
        request,
        "engagement/builder/section_form.html",
        {"activity": activity, "q": q, "form": form, "section": section},
        status=400 if form.errors else 200,
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@permission_required("engagement.change_activities")
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    q = _questionnaire(activity)
    version = q.current_version()
    if version is None:
        raise Http404("No version")
    view = selectors_responses.version_view(version)
    question_id = _int(request.GET.get("question") or request.POST.get("question_id"))
    question = (
        Question.objects.filter(pk=question_id, version=version).first() if question_id else None
    )
    sections = list(version.sections.order_by("position", "pk"))
    if not sections:
        messages.error(request, "Add a page before adding questions.")
        return redirect("engagement:builder", pk=pk)
    # A condition may only point to questions before this one.
    if question is not None:
        position = next(i for i, qn in enumerate(view.questions) if qn.pk == question.pk)
        earlier = view.specs[:position]
    else:
        earlier = list(view.specs)
    initial: dict[str, Any] = (
        QuestionForm.initial_for(question)
        if question
        else {"section": _int(request.GET.get("section")) or sections[-1].pk}
    )
    form = QuestionForm(request.POST or None, initial=initial, sections=sections, earlier=earlier)
    answered = selectors_responses.question_answer_count(q, question.key) if question else 0
    ask_meaning = False
    if request.method == "POST" and form.is_valid():
        reworded = question is not None and form.cleaned_data["text"].strip() != question.text
        ask_meaning = reworded and answered > 0
        if ask_meaning and not form.cleaned_data.get("meaning"):
            form.add_error(
                "meaning",
                f"{answered} {'person has' if answered == 1 else 'people have'} answered this "
                "question already: say whether the new wording still asks the same thing",
            )
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                actor=request.user,
                q=q,
                question_id=question.pk if question else None,
                section_id=form.cleaned_data["section"],
                fields=form.model_fields(),
                meaning_changed=ask_meaning and form.cleaned_data.get("meaning") == "changed",
            )
        except services.BuilderProblem as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The question has been saved.")
            return redirect("engagement:builder", pk=pk)
    return render(
        request,
        "engagement/builder/question_form.html",
        {
            "activity": activity,
            "q": q,
            "form": form,
            "question": question,
            "frozen_count": selectors_responses.version_response_count(version),
            "answered": answered,
            "ask_meaning": ask_meaning,
        },
        status=400 if form.errors else 200,
    )


@permission_required("engagement.change_activities")
def question_delete(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Ask first (saying what happens to the answers already given), then delete."""
    activity = get_object_or_404(Activity, pk=pk)
    q = _questionnaire(activity)
    question = get_object_or_404(Question, pk=question_id, version__questionnaire=q)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.question_delete(actor=request.user, q=q, question_id=question_id)
        except services.BuilderProblem as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                "The question has been deleted."
                + (
                    " People answering now still see it until you publish your changes."
                    if selectors_responses.draft_version(q)
                    else ""
                ),
            )
        return redirect("engagement:builder", pk=pk)
    version = q.current_version()
    return render(
        request,
        "engagement/builder/question_delete.html",
        {
            "activity": activity,
            "q": q,
            "question": question,
            "answered": selectors_responses.question_answer_count(q, question.key),
            "live": version is not None
            and (
                version.published_at is None
                or selectors_responses.version_response_count(version) > 0
            ),
        },
    )


@require_POST
@permission_required("engagement.change_activities")
def draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    q = _questionnaire(activity)
    try:
        version = services.questionnaire_draft_publish(actor=request.user, q=q)
    except services.BuilderProblem as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Version {version.number} is published: people answering now see it."
        )
    return redirect("engagement:builder", pk=pk)


@require_POST
@permission_required("engagement.change_activities")
def draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    q = _questionnaire(activity)
    try:
        services.questionnaire_draft_discard(actor=request.user, q=q)
    except services.BuilderProblem as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your unpublished changes have been discarded.")
    return redirect("engagement:builder", pk=pk)


@require_POST
@permission_required("engagement.change_activities")
def section_delete(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    q = _questionnaire(activity)
    try:
        services.section_delete(actor=request.user, q=q, section_id=section_id)
    except services.BuilderProblem as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The page has been deleted.")
    return redirect("engagement:builder", pk=pk)


@require_POST
@permission_required("engagement.change_activities")
def question_move(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    q = _questionnaire(activity)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    try:
        services.question_move(
            actor=request.user, q=q, question_id=question_id, direction=direction
        )
    except services.BuilderProblem as exc:
        messages.error(request, str(exc))
    return redirect("engagement:builder", pk=pk)


@permission_required("engagement.view_activities")
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Every page as the public sees it, conditional questions included (with their rule)."""
    activity = get_object_or_404(Activity, pk=pk)
    q = _questionnaire(activity)
    version = q.current_version()
    if version is None:
        raise Http404("No version")
    view = selectors_responses.version_view(version)
    pages = []
    for i, section in enumerate(view.sections):
        fields = field_context(view, i, {}, {}, preview=True)
        pages.append((section, fields))
    return render(
        request,
        "engagement/builder/preview.html",
        {
            "activity": activity,
            "q": q,
            "version": version,
            "pages": pages,
            "responses": Response.objects.filter(version=version).count(),
        },
    )


@permission_required("engagement.change_activities")
def details(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    q = _questionnaire(activity)
    form = QuestionnaireDetailsForm(
        request.POST or None, initial={"title": q.title, "introduction": q.introduction}
    )
    if request.method == "POST" and form.is_valid():
        services.questionnaire_details_save(
            actor=request.user,
            q=q,
            title=form.cleaned_data["title"],
            introduction=form.cleaned_data["introduction"],
        )
        messages.success(request, "The title and introduction have been saved.")
        return redirect("engagement:builder", pk=pk)
    return render(
        request,
        "engagement/builder/details_form.html",
        {"activity": activity, "q": q, "form": form},
        status=400 if form.errors else 200,
    )
