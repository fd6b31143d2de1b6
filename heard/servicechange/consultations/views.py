"""Staff pages for a formal consultation, and its public page."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from heard.accounts import selectors as rules_selectors
from heard.audit.selectors import EventFilter, audit_events
from heard.core.pdf import template_pdf
from heard.core.permissions import permission_required
from heard.engagement import domain as engagement_domain
from heard.engagement.services import TransitionRefused
from heard.involvement.charts import bar_chart
from heard.involvement.selectors import BUILT_IN_KEY, UNDER_REPRESENTED_RATIO
from heard.servicechange.assessment import selectors as assessment_selectors
from heard.servicechange.consultations import gunning, selectors, services
from heard.servicechange.consultations.forms import (
    CorrectionForm,
    CouncilForm,
    DatesForm,
    FirstLetterForm,
    JointCommitteeForm,
    MailoutForm,
    MidpointForm,
    OscForm,
    ScrutinyResponseForm,
    SectionForm,
    SignOffForm,
)
from heard.servicechange.consultations.models import (
    Consultation,
    Council,
    DocumentSection,
    ScrutinyResponse,
)
from heard.servicechange.proposals.models import Proposal

VIEW = "consultations.view_consultations"
CHANGE = "consultations.change_consultations"


def _get(pk: int) -> Consultation:
    return get_object_or_404(Consultation.objects.select_related("proposal", "activity"), pk=pk)


def _require_change(request: HttpRequest) -> None:
    if not request.user.has_perm(CHANGE):
        raise PermissionDenied


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- create ---------------------------------------------------------------------------------


@permission_required(CHANGE)
def create(request: HttpRequest, proposal_pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=proposal_pk)
    existing = selectors.consultation_for(proposal)
    if existing is not None:
        return redirect("consultations:detail", pk=existing.pk)
    problems = services.creation_problems(proposal)
    if request.method == "POST" and not problems:
        try:
            consultation = services.consultation_create(actor=request.user, proposal=proposal)
        except services.ConsultationProblem as problem:
            problems = [str(problem)]
        else:
            messages.success(
                request,
                "The formal consultation has been created as a draft, with its questionnaire "
                "and a first draft of the consultation document.",
            )
            return redirect("consultations:detail", pk=consultation.pk)
    return render(
        request, "consultations/create.html", {"proposal": proposal, "problems": problems}
    )


# --- the consultation's page and its Gunning panel ------------------------------------------


def _panel_context(
    consultation: Consultation,
    period: tuple[Any, Any, str] | None = None,
    checkpoint: Any = None,
) -> dict[str, Any]:
    panel = selectors.gunning_panel(consultation, period=period, checkpoint=checkpoint)
    return {
        "panel": panel,
        "preview": period is not None,
        "blocking": [c for c in panel if c.blocks],
        "cautions": [
            c for c in panel if c.result in (gunning.Result.WARNING, gunning.Result.SHORTENED)
        ],
        "min_weeks": rules_selectors.consultation_min_weeks(),
    }


@permission_required(VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get(pk)
    now = timezone.now()
    status = consultation.status_at(now)
    sections = {s.key: s for s in consultation.sections.all()}
    history = audit_events(
        EventFilter(subject_type="consultations.consultation", subject_id=str(consultation.pk))
    )[:30]
    summary = selectors.responses_summary(consultation)
    told = selectors.scrutiny_state(consultation)
    checkpoint = selectors.checkpoint_facts(consultation, now=now)
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "proposal": consultation.proposal,
            "activity": consultation.activity,
            "status": status,
            "status_label": engagement_domain.STATUS_LABELS[status],
            "is_draft": status == engagement_domain.Status.DRAFT,
            "period_changeable": status in services.CHANGEABLE_PERIOD,
            "frozen": services.document_frozen(consultation, now),
            "versions": list(consultation.versions.order_by("-number")),
            "opens_in_future": bool(
                consultation.activity.opens_at and consultation.activity.opens_at > now
            ),
            "sections": [
                (key, label, sections.get(key)) for key, label in gunning.SECTIONS.items()
            ],
            "told": told,
            "councils": told.councils,
            "summary": summary,
            "channels_text": ", ".join(
                f"{label.lower()} {n}" for label, n in summary["by_channel"] if n
            ),
            "events": selectors.events(consultation),
            "history": history,
            "checkpoints": checkpoint,
            "publication_due": selectors.publication_deadline(consultation),
            **_panel_context(consultation, checkpoint=checkpoint),
        },
    )


SIGN_OFFS = {
    "scope": (
        "Agree the scope of the consultation",
        "What is open to change and what is not, the options people are asked about, and "
        "who must be reached. Recorded once, before the consultation opens.",
        "The scope has been agreed.",
    ),
    "documents": (
        "Sign off the review of the consultation documents",
        "The latest published version of the consultation document, reviewed before the "
        "consultation opens by someone who did not draft or publish it. A new version "
        "needs a new review.",
        "The review of the documents has been recorded.",
    ),
}


@permission_required(CHANGE)
def sign_off(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    consultation = _get(pk)
    if kind not in SIGN_OFFS:
        raise Http404("No such sign-off")
    heading, intro, success = SIGN_OFFS[kind]
    form = SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.scope_agree if kind == "scope" else services.documents_review
        try:
            service(actor=request.user, consultation=consultation, note=form.cleaned_data["note"])
        except services.ConsultationProblem as refused:
            form.add_error("note", str(refused))
        else:
            messages.success(request, success)
            return redirect("consultations:detail", pk=consultation.pk)
    return render(
        request,
        "consultations/sign_off.html",
        {"consultation": consultation, "form": form, "heading": heading, "intro": intro},
    )


@permission_required(VIEW)
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The Gunning panel alone, refreshed in place (htmx) as the period is edited: with
    ``opens_at``/``closes_at``/``justification`` it previews those unsaved values."""
    consultation = _get(pk)
    period = None
    if any(key.startswith(("opens_at", "closes_at")) for key in request.GET):
        form = DatesForm(request.GET)
        if form.is_valid():
            period = (
                form.cleaned_data["opens_at"],
                form.cleaned_data["closes_at"],
                form.cleaned_data["justification"],
            )
    return render(
        request,
        "consultations/includes/panel.html",
        {
            "consultation": consultation,
            "compact": request.GET.get("compact") == "1",
            **_panel_context(consultation, period),
        },
    )


@permission_required(CHANGE)
def section_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    consultation = _get(pk)
    if key not in gunning.SECTIONS:
        raise Http404
    section, _ = DocumentSection.objects.get_or_create(consultation=consultation, key=key)
    frozen = services.document_frozen(consultation)
    form_class = CorrectionForm if frozen else SectionForm
    form = form_class(request.POST or None, initial={"body": section.body})
    if request.method == "POST" and form.is_valid():
        try:
            if frozen:
                version = services.document_correct(
                    actor=request.user,
                    consultation=consultation,
                    bodies={key: form.cleaned_data["body"]},
                    reason=form.cleaned_data["reason"],
                )
                done = (
                    f"The correction has been published as version {version.number} of the "
                    "document, with its reason."
                )
            else:
                services.section_save(
                    actor=request.user, section=section, body=form.cleaned_data["body"]
                )
                done = (
                    f"\u201c{gunning.SECTIONS[key]}\u201d has been saved. Publish the document "
                    "to make the change public."
                )
        except services.ConsultationProblem as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, done)
            return redirect("consultations:detail", pk=consultation.pk)
    form.fields["body"].label = gunning.SECTIONS[key]
    return render(
        request,
        "consultations/section_form.html",
        {
            "consultation": consultation,
            "section": section,
            "label": gunning.SECTIONS[key],
            "form": form,
            "frozen": frozen,
            **_panel_context(consultation),
        },
    )


@require_POST
@permission_required(CHANGE)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get(pk)
    try:
        services.document_publish(actor=request.user, consultation=consultation)
    except services.ConsultationProblem as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, "The consultation document has been published.")
    return redirect("consultations:detail", pk=consultation.pk)


@permission_required(CHANGE)
def dates(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get(pk)
    activity = consultation.activity
    form = DatesForm(
        request.POST or None,
        initial={
            "opens_at": timezone.localtime(activity.opens_at) if activity.opens_at else None,
            "closes_at": timezone.localtime(activity.closes_at) if activity.closes_at else None,
            "justification": consultation.short_period_justification,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dates_save(
                actor=request.user,
                consultation=consultation,
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
                justification=form.cleaned_data["justification"],
            )
        except services.ConsultationProblem as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "The consultation period has been saved.")
            return redirect("consultations:detail", pk=consultation.pk)
    return render(
        request,
        "consultations/dates_form.html",
        {"consultation": consultation, "form": form, **_panel_context(consultation)},
    )


@require_POST
@permission_required(CHANGE)
def open_(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get(pk)
    try:
        consultation = services.consultation_open(actor=request.user, consultation=consultation)
    except TransitionRefused as refused:
        messages.error(request, "The consultation cannot open yet: " + " ".join(refused.problems))
        return redirect("consultations:detail", pk=consultation.pk)
    status = consultation.status_at()
    if status == engagement_domain.Status.SCHEDULED:
        messages.success(request, "The consultation is scheduled: it will open on time.")
    else:
        messages.success(request, "The consultation is open.")
    return redirect("consultations:detail", pk=consultation.pk)


# --- overview and scrutiny ----------------------------------------------------------------


def _contact_initial(request: HttpRequest) -> str:
    name = str(getattr(request.user, "full_name", "") or "").strip()
    email = str(getattr(request.user, "email", "") or settings.HEARD_CONTACT_EMAIL)
    return f"{name}, {email}" if name else email


@permission_required(VIEW)
def osc(request: HttpRequest, pk: int) -> HttpResponse:
    """Overview and scrutiny (reg. 23): the councils, the first letter, changes of the
    dates (re-notifications), the letters as sent and the committee's response. Every
    member of staff may read it (scrutiny readers included); only those who may change
    the consultation write."""
    consultation = _get(pk)
    post = request.POST if request.method == "POST" else None
    action = next(
        (
            name
            for name in (
                "add_council",
                "save_joint",
                "send_letter",
                "save_dates",
                "record_response",
            )
            if post is not None and name in post
        ),
        "",
    )
    if post is not None:
        _require_change(request)
    told = selectors.scrutiny_state(consultation)
    council_form = CouncilForm(post if action == "add_council" else None)
    joint_form = JointCommitteeForm(
        post if action == "save_joint" else None,
        initial={"joint_committee_name": consultation.joint_committee_name},
    )
    letter_form = FirstLetterForm(
        post if action == "send_letter" else None,
        auto_id="letter_%s",  # beside the change-of-dates form: ids stay unique
        initial={
            "comments_due_on": consultation.osc_comments_due_on,
            "proposed_decision_on": consultation.proposed_decision_on,
            "contact": _contact_initial(request),
        },
    )
    form = OscForm(
        post if action == "save_dates" else None,
        initial={
            "osc_comments_due_on": consultation.osc_comments_due_on,
            "proposed_decision_on": consultation.proposed_decision_on,
            "joint_committee_name": consultation.joint_committee_name,
        },
    )
    response_form = ScrutinyResponseForm(
        post if action == "record_response" else None,
        request.FILES if action == "record_response" else None,
    )
    done = ""
    if action == "add_council" and council_form.is_valid():
        try:
            services.council_add(
                actor=request.user,
                consultation=consultation,
                name=council_form.cleaned_data["name"],
                committee=council_form.cleaned_data["committee"],
                contact_email=council_form.cleaned_data["contact_email"],
            )
        except services.ConsultationProblem as problem:
            council_form.add_error("name", str(problem))
        else:
            done = "The council has been added."
    elif action == "save_joint" and joint_form.is_valid():
        try:
            services.osc_save(
                actor=request.user,
                consultation=consultation,
                comments_due_on=consultation.osc_comments_due_on,
                proposed_decision_on=consultation.proposed_decision_on,
                joint_committee_name=joint_form.cleaned_data["joint_committee_name"],
            )
        except services.ConsultationProblem as problem:
            joint_form.add_error("joint_committee_name", str(problem))
        else:
            done = "The joint committee has been saved."
    elif action == "send_letter" and letter_form.is_valid():
        try:
            letter = services.scrutiny_letter_send(
                actor=request.user,
                consultation=consultation,
                comments_due_on=letter_form.cleaned_data["comments_due_on"],
                proposed_decision_on=letter_form.cleaned_data["proposed_decision_on"],
                contact=letter_form.cleaned_data["contact"],
                base_url=_base_url(request),
            )
        except services.ConsultationProblem as problem:
            letter_form.add_error(None, str(problem))
        else:
            done = (
                f"The first letter has been sent to {len(letter.recipients)} council contact"
                f"{'s' if len(letter.recipients) != 1 else ''}, and the dates are published."
            )
    elif action == "save_dates" and form.is_valid():
        try:
            notice = services.osc_save(
                actor=request.user,
                consultation=consultation,
                comments_due_on=form.cleaned_data["osc_comments_due_on"],
                proposed_decision_on=form.cleaned_data["proposed_decision_on"],
                joint_committee_name=form.cleaned_data["joint_committee_name"],
                reason=form.cleaned_data["reason"],
            )
        except services.ConsultationProblem as problem:
            form.add_error(None, str(problem))
        else:
            done = (
                f"Saved. {len(notice.notified)} council contact"
                f"{'s' if len(notice.notified) != 1 else ''} sent the change of dates, "
                "which is published."
                if notice is not None
                else "Saved."
            )
    elif action == "record_response" and response_form.is_valid():
        try:
            services.scrutiny_response_record(
                actor=request.user,
                consultation=consultation,
                received_on=response_form.cleaned_data["received_on"],
                position=response_form.cleaned_data["position"],
                summary=response_form.cleaned_data["summary"],
                file=response_form.cleaned_data["file"],
            )
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                response_form.add_error(field if field in response_form.fields else None, errors)
        except services.ConsultationProblem as problem:
            response_form.add_error(None, str(problem))
        else:
            done = "The committee's response has been recorded."
    if done:
        messages.success(request, done)
        return redirect("consultations:osc", pk=consultation.pk)
    return render(
        request,
        "consultations/osc.html",
        {
            "consultation": consultation,
            "told": told,
            "form": form,
            "council_form": council_form,
            "joint_form": joint_form,
            "letter_form": letter_form,
            "response_form": response_form,
            "councils": told.councils,
            "may_change": request.user.has_perm(CHANGE),
            "check": next(c for c in selectors.gunning_panel(consultation) if c.key == "scrutiny"),
        },
    )


@permission_required(VIEW)
def scrutiny_response_file(request: HttpRequest, pk: int, response_pk: int) -> HttpResponseBase:
    """The committee's letter as recorded, for staff only (never in the public media)."""
    consultation = _get(pk)
    response = get_object_or_404(
        ScrutinyResponse, pk=response_pk, consultation=consultation, file__gt=""
    )
    try:
        handle = response.file.open("rb")
    except OSError as exc:
        raise Http404("The file is missing") from exc
    name = (response.file.name or "committee-response").rsplit("/", 1)[-1]
    return FileResponse(handle, filename=name, as_attachment=True)


@require_POST
@permission_required(CHANGE)
def council_remove(request: HttpRequest, pk: int, council_pk: int) -> HttpResponse:
    consultation = _get(pk)
    council = get_object_or_404(Council, pk=council_pk, consultation=consultation)
    services.council_remove(actor=request.user, council=council)
    messages.success(request, f"{council.name} has been removed.")
    return redirect("consultations:osc", pk=consultation.pk)


# --- telling people -------------------------------------------------------------------------


def _mail_subject(title: str) -> str:
    """ "Have your say: <title>", or the title alone when both would be longer than a
    subject may be – never a title cut short."""
    subject = f"Have your say: {title}"
    limit = MailoutForm.base_fields["subject"].max_length or 200  # type: ignore[attr-defined]
    return subject if len(subject) <= limit else title


@permission_required(CHANGE)
def tell(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get(pk)
    groups = list(selectors.stakeholder_groups_with_email())
    form = MailoutForm(
        request.POST or None,
        group_choices=[(str(g.pk), f"{g.name} ({g.email})") for g in groups],
        initial={
            "subject": _mail_subject(consultation.title),
            "message": consultation.activity.summary,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mailout_queue(
                actor=request.user,
                consultation=consultation,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
                group_ids=[int(g) for g in form.cleaned_data["groups"]],
                include_members=form.cleaned_data["include_members"],
                base_url=_base_url(request),
            )
        except services.ConsultationProblem as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "The emails are queued. Progress is shown below.")
            return redirect("consultations:tell", pk=consultation.pk)
    return render(
        request,
        "consultations/tell.html",
        {
            "consultation": consultation,
            "form": form,
            "members_count": selectors.members_to_tell(consultation).count(),
            **_mailouts_context(consultation),
        },
    )


def _mailouts_context(consultation: Consultation) -> dict[str, Any]:
    mailouts = selectors.mailouts(consultation)
    sending = any(m.status in (m.Status.QUEUED, m.Status.SENDING) for m in mailouts)
    return {"mailouts": mailouts, "sending": sending}


@permission_required(CHANGE)
def tell_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The mailouts' progress alone, polled while any is being sent."""
    consultation = _get(pk)
    return render(
        request,
        "consultations/includes/mailouts.html",
        {"consultation": consultation, **_mailouts_context(consultation)},
    )


# --- mid-point review ---------------------------------------------------------------------


@permission_required(VIEW)
def midpoint(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get(pk)
    form = MidpointForm(request.POST or None)
    if request.method == "POST":
        _require_change(request)
        if form.is_valid():
            try:
                services.midpoint_record(
                    actor=request.user,
                    consultation=consultation,
                    action_taken=form.cleaned_data["action_taken"],
                )
            except services.ConsultationProblem as refused:
                form.add_error("action_taken", str(refused))
            else:
                messages.success(request, "The mid-point review has been recorded.")
                return redirect("consultations:midpoint", pk=consultation.pk)
    review = selectors.midpoint(consultation, request.GET.get("population", BUILT_IN_KEY))
    charts = [
        {
            "data": chart,
            "svg": bar_chart(
                title=f"Respondents by {chart.title.lower()}",
                first_name="Respondents",
                second_name="Population",
                rows=[(r.category, r.member_share, r.population_share) for r in chart.rows],
                missing_text="not shown",
            ),
        }
        for chart in review.charts
    ]
    return render(
        request,
        "consultations/midpoint.html",
        {
            "consultation": consultation,
            "review": review,
            "charts": charts,
            "form": form,
            "reviews": selectors.midpoint_reviews(consultation),
            "ratio_percent": int(UNDER_REPRESENTED_RATIO * 100),
        },
    )


# --- public -----------------------------------------------------------------------------------


def _public_or_404(slug: str) -> Consultation:
    consultation = selectors.public_consultation(slug)
    if consultation is None or consultation.status_at() == engagement_domain.Status.DRAFT:
        raise Http404
    return consultation


def public_versions(request: HttpRequest, slug: str) -> HttpResponse:
    """Every published version of the document, with why each correction was made."""
    consultation = _public_or_404(slug)
    return render(
        request,
        "consultations/public/versions.html",
        {
            "consultation": consultation,
            "proposal": consultation.proposal,
            "versions": list(consultation.versions.order_by("-number")),
        },
    )


def public_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """One version of the document exactly as it was published."""
    consultation = _public_or_404(slug)
    document = selectors.published_document(consultation, number)
    if document is None or document.version is None:
        raise Http404
    return render(
        request,
        "consultations/public/version.html",
        {"consultation": consultation, "proposal": consultation.proposal, "document": document},
    )


def public_document_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The consultation document as published, as a tagged PDF to print or keep."""
    consultation = _public_or_404(slug)
    document = selectors.published_document(consultation)
    if document is None:
        raise Http404
    data = template_pdf(
        "consultations/public/document_pdf.html",
        {
            "consultation": consultation,
            "proposal": consultation.proposal,
            "document": document,
            "organisation": settings.HEARD_ORGANISATION_NAME,
        },
    )
    out = HttpResponse(data, content_type="application/pdf")
    out["Content-Disposition"] = f'inline; filename="{slug}-consultation-document.pdf"'
    return out


def public_eqia(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The equality impact assessment people are consulted with (Gunning: sufficient
    reasons), public once the consultation document is."""
    consultation = _public_or_404(slug)
    eqia = assessment_selectors.eqia_for(consultation.proposal)
    if eqia is None or not eqia.file:
        raise Http404("No equality impact assessment")
    try:
        handle = eqia.file.open("rb")
    except OSError as exc:
        raise Http404("The equality impact assessment file is missing") from exc
    name = (eqia.file.name or "equality-impact-assessment").rsplit("/", 1)[-1]
    return FileResponse(handle, filename=name, as_attachment=False)
