"""Public responding: a multi-page questionnaire that works without JavaScript.

The answers so far travel between pages in a signed hidden field (nothing is stored
until the response is sent, or saved to finish later), together with the submission
token that makes sending exactly-once. Pages: one per section, then "Check your
answers and send".
"""

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from heard.core import ratelimit
from heard.core.pdf import template_pdf
from heard.core.text import control_character_message, has_control_characters
from heard.engagement import questionnaire, selectors, selectors_responses
from heard.engagement import services_questionnaires as builder
from heard.engagement import services_responses as services
from heard.engagement.models import Questionnaire, QuestionnaireVersion
from heard.engagement.questionnaire import QuestionSpec
from heard.engagement.selectors_responses import VersionView

HONEYPOT = "website"


def _client_address(request: HttpRequest) -> str:
    # The real client address behind HEARD_TRUSTED_PROXY_COUNT proxies (one function
    # for every rate limit in Heard).
    return ratelimit.client_address(request)


def _questionnaire_for_slug(slug: str) -> Questionnaire:
    q = selectors_responses.questionnaire_for_slug(slug)
    if q is None:
        raise Http404("No questionnaire for this activity")
    return q


@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, slug: str) -> HttpResponse:
    q = selectors_responses.questionnaire_for_slug(slug)
    if q is None:
        return _closed_without_questionnaire(request, slug)
    return _respond(request, q)


def _closed_without_questionnaire(request: HttpRequest, slug: str) -> HttpResponse:
    """The old respond link of a published activity that has closed gets the closed page
    even when it has no questionnaire (any more); anything else is not found."""
    activity = selectors.public_activity(slug)
    if activity is None or selectors_responses.response_window(activity) not in (
        "closed",
        "late",  # nothing to answer: closed all the same
    ):
        raise Http404("No questionnaire for this activity")
    return render(
        request,
        "engagement/respond/closed.html",
        {"q": None, "activity": activity, "window": "closed"},
        status=200 if request.method == "GET" else 409,
    )


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    """Tell us what you think: always open, not tied to any activity."""
    return _respond(request, builder.general_feedback_ensure())


def _form_url(q: Questionnaire) -> str:
    if q.is_general_feedback or q.activity is None:
        return reverse("engagement_public:feedback")
    return reverse("engagement_public:respond", args=[q.activity.slug])


def _respond(request: HttpRequest, q: Questionnaire) -> HttpResponse:
    window = selectors_responses.response_window(q.activity)
    if window in ("closed", "not_open"):
        return render(
            request,
            "engagement/respond/closed.html",
            {"q": q, "activity": q.activity, "window": window},
            status=200 if request.method == "GET" else 409,
        )
    if request.method == "GET":
        version = selectors_responses.respondable_version(q)
        if version is None:
            raise Http404("This questionnaire has no questions yet")
        state = services.state_new(version=version)
        fresh = selectors_responses.version_view(version)
        first = questionnaire.visible_pages(fresh.specs, {})
        return _page(request, q, fresh, state, first[0] if first else 0, window=window)
    try:
        state = services.state_read(request.POST.get("state", ""))
    except services.LinkInvalid:
        return _broken(request, q)
    found = selectors_responses.public_version_view(q, int(state["v"]))
    if found is None:
        return _broken(request, q)
    view = found
    try:
        page = int(request.POST.get("page", "0"))
    except ValueError:
        page = 0
    action = request.POST.get("action", "continue")
    check_page = view.page_count
    # The save page and "change" buttons carry no answers: keep the ones in the state.
    if page < check_page and action != "save_confirm" and not action.startswith("goto-"):
        state["a"] = merge_answers(view.page_specs(page), state["a"], request.POST)
    raw = state["a"]
    visible = questionnaire.visible_pages(view.specs, raw)
    if action.startswith("goto-"):
        target = int(action[5:]) if action[5:].isdigit() else 0
        return _page(request, q, view, state, min(target, check_page), window=window)
    if action == "back":
        earlier = [p for p in visible if p < page]
        return _page(request, q, view, state, earlier[-1] if earlier else page, window=window)
    if action in ("save", "save_confirm"):
        # A draft is stored as it stands: nothing that cannot be stored goes into it.
        bad = questionnaire.control_character_errors(view.specs, raw)
        if bad:
            bad_page = questionnaire.first_error_page(view.specs, bad)
            return _page(request, q, view, state, bad_page, window=window, errors=bad)
    if action == "save":
        return _save_page(request, q, state, page)
    if action == "save_confirm":
        return _save_confirm(request, q, state, page)
    if page < check_page:
        shown = [s for s in view.page_specs(page) if questionnaire.is_visible(s, raw)]
        result = questionnaire.clean_page(shown, raw)
        if result.errors:
            return _page(request, q, view, state, page, window=window, errors=result.errors)
        later = [p for p in visible if p > page]
        return _page(request, q, view, state, later[0] if later else check_page, window=window)
    return _send(request, q, view, state, window)


def merge_answers(
    specs: list[QuestionSpec], answers: dict[str, Any], post: QueryDict
) -> dict[str, Any]:
    """The answers so far with this page's answers replaced by what was just sent."""
    merged = dict(answers)
    for spec in specs:
        key = spec.key
        if spec.kind == questionnaire.MULTIPLE_CHOICE:
            merged[key] = [v for v in post.getlist(key) if v]
        elif spec.kind == questionnaire.RANKING:
            merged[key] = [
                f"{post.get(f'{key}__{value}', '').strip()}:{value}"
                for value, _ in spec.choices()
                if post.get(f"{key}__{value}", "").strip()
            ]
        elif spec.kind == questionnaire.DATE:
            parts = [post.get(f"{key}__{p}", "").strip() for p in ("day", "month", "year")]
            merged[key] = "/".join(parts) if any(parts) else ""
        elif spec.kind == questionnaire.EQUALITY:
            for eq_key in questionnaire.EQUALITY_QUESTIONS:
                merged[f"eq_{eq_key}"] = post.get(f"eq_{eq_key}", "")
        else:
            merged[key] = post.get(key, "")[:20000]
            if spec.kind == questionnaire.RESPONDENT_TYPE:
                org = questionnaire.organisation_key(key)
                merged[org] = post.get(org, "")[:200]
    return merged


def field_context(
    view: VersionView,
    page: int | None,
    raw: dict[str, Any],
    errors: dict[str, str],
    *,
    preview: bool = False,
) -> list[dict[str, Any]]:
    """What the question template needs for each question shown on ``page`` (None: all).

    A question whose condition depends on an answer on the same page (or any page, in a
    preview or staff entry) is shown with its condition in words, since without
    JavaScript the page cannot hide it; it is validated only if the condition is met.
    """
    fields = []
    keys_on_page = {s.key for s in view.specs if page is None or s.page == page}
    for question, spec in zip(view.questions, view.specs, strict=True):
        if page is not None and spec.page != page:
            continue
        same_page_condition = spec.show_if_key in keys_on_page or preview
        if spec.show_if_key and not same_page_condition and not questionnaire.is_visible(spec, raw):
            continue
        value = raw.get(spec.key, [] if spec.kind == questionnaire.MULTIPLE_CHOICE else "")
        condition_text = ""
        if same_page_condition:
            trigger = view.spec(spec.show_if_key)
            if trigger is not None:
                labels = dict(trigger.choices())
                answers = " or ".join(f"‘{labels.get(v, v)}’" for v in spec.show_if_values)
                condition_text = f"Answer this if you answered {answers} to ‘{trigger.text}’."
        item: dict[str, Any] = {
            "q": question,
            "spec": spec,
            "id": f"q-{spec.key}",
            "value": value,
            "values": value if isinstance(value, list) else [value],
            "error": errors.get(spec.key, ""),
            "choices": spec.choices(),
            "limit": spec.limit(),
            "condition_text": condition_text,
        }
        if spec.kind == questionnaire.DATE:
            parts = ([*str(value).split("/"), "", "", ""])[:3] if value else ["", "", ""]
            item["day"], item["month"], item["year"] = parts
        if spec.kind == questionnaire.RANKING:
            ranks = {v: r for r, v in questionnaire.ranking_pairs(value or [])}
            item["ranks"] = [(v, label, ranks.get(v, "")) for v, label in spec.choices()]
            item["rank_numbers"] = [str(n) for n in range(1, len(spec.choices()) + 1)]
        if spec.kind == questionnaire.RESPONDENT_TYPE:
            org = questionnaire.organisation_key(spec.key)
            item["org_name"] = org
            item["org_value"] = raw.get(org, "")
            item["org_error"] = errors.get(org, "")
        if spec.kind == questionnaire.EQUALITY:
            item["equality"] = [
                {
                    "name": f"eq_{k}",
                    "text": text,
                    "choices": options,
                    "value": raw.get(f"eq_{k}", ""),
                }
                for k, (text, options) in questionnaire.EQUALITY_QUESTIONS.items()
            ]
        fields.append(item)
    return fields


def error_items(fields: list[dict[str, Any]], errors: dict[str, str]) -> list[dict[str, str]]:
    items = []
    for f in fields:
        if f["error"]:
            anchor = f["id"]
            if f["spec"].kind in (
                questionnaire.SINGLE_CHOICE,
                questionnaire.MULTIPLE_CHOICE,
                questionnaire.LIKERT,
                questionnaire.YES_NO,
                questionnaire.RESPONDENT_TYPE,
                questionnaire.RANKING,
            ):
                anchor = f"{f['id']}-0"
            elif f["spec"].kind == questionnaire.DATE:
                anchor = f"{f['id']}-day"
            items.append({"href": f"#{anchor}", "text": f["error"]})
        if f.get("org_error"):
            items.append({"href": f"#{f['id']}-org", "text": f["org_error"]})
    return items


def _page(
    request: HttpRequest,
    q: Questionnaire,
    view: VersionView,
    state: dict[str, Any],
    page: int,
    *,
    window: str,
    errors: dict[str, str] | None = None,
    send_errors: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = errors or {}
    raw = state["a"]
    visible = questionnaire.visible_pages(view.specs, raw)
    check_page = view.page_count
    context: dict[str, Any] = {
        "q": q,
        "activity": q.activity,
        "title": q.activity.title if q.activity else q.title,
        "state": services.state_sign(state),
        "page": page,
        "late": window == "late",
        "form_url": _form_url(q),
        "honeypot": HONEYPOT,
        "step": (visible.index(page) + 1) if page in visible else len(visible) + 1,
        "steps": len(visible) + 1 if questionnaire.page_count_is_fixed(view.specs) else None,
        "first": not visible or page <= visible[0],
    }
    if page >= check_page:
        summary = []
        by_key = {s.key: s for s in view.specs}
        result = questionnaire.clean_all(view.specs, raw)
        for question, spec in zip(view.questions, view.specs, strict=True):
            if not questionnaire.is_visible(spec, raw) or spec.kind == questionnaire.EQUALITY:
                continue
            cleaned = result.answers.get(spec.key)
            shown = (
                questionnaire.display_answer(by_key[spec.key], cleaned.text, cleaned.value)
                if cleaned
                else ""
            )
            if spec.kind == questionnaire.RESPONDENT_TYPE and cleaned and cleaned.text:
                shown = f"{shown}: {cleaned.text}"
            summary.append({"q": question, "answer": shown, "page": spec.page})
        context.update(
            {
                "summary": summary,
                "has_equality": any(s.kind == questionnaire.EQUALITY for s in view.specs),
                "error_items": send_errors or [],
                "receipt_email": request.POST.get("receipt_email", ""),
                "publish_consent": request.POST.get("publish_consent") == "yes",
                "tell_outcome": request.POST.get("tell_outcome") == "yes",
            }
        )
        return render(request, "engagement/respond/check.html", context, status=status)
    fields = field_context(view, page, raw, errors)
    section = view.sections[page]
    context.update(
        {
            "section": section,
            "fields": fields,
            "error_items": error_items(fields, errors),
        }
    )
    return render(
        request, "engagement/respond/page.html", context, status=400 if errors else status
    )


def _send(
    request: HttpRequest,
    q: Questionnaire,
    view: VersionView,
    state: dict[str, Any],
    window: str,
) -> HttpResponse:
    token = uuid.UUID(hex=state["t"])
    email = request.POST.get("receipt_email", "").strip()
    send_errors = []
    if has_control_characters(email):
        send_errors.append(
            {"href": "#receipt_email", "text": control_character_message("Email address")}
        )
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            send_errors.append(
                {
                    "href": "#receipt_email",
                    "text": "Enter an email address in the correct format, like name@example.com, or leave it empty",
                }
            )
    tell_outcome = request.POST.get("tell_outcome") == "yes" and q.activity is not None
    if tell_outcome and not email and not send_errors:
        send_errors.append(
            {
                "href": "#receipt_email",
                "text": "Enter your email address so that we can tell you the outcome, or untick the box",
            }
        )
    if send_errors:
        return _page(
            request,
            q,
            view,
            state,
            view.page_count,
            window=window,
            send_errors=send_errors,
            status=400,
        )
    reason = services.spam_check(
        questionnaire_obj=q,
        address=_client_address(request),
        honeypot=request.POST.get(HONEYPOT, ""),
        started_at=float(state["s"]),
    )
    if reason == "rate_limited":
        return render(request, "engagement/respond/rate_limited.html", {"q": q}, status=429)
    if reason == "too_fast":
        message = (
            "That was quicker than we expected a person to answer. Check your answers, "
            "then select ‘Send my response’ again."
        )
        return _page(
            request,
            q,
            view,
            state,
            view.page_count,
            window=window,
            send_errors=[{"href": "", "text": message}],
            status=400,
        )
    if reason == "honeypot":
        # Say nothing a robot could learn from; it is logged for staff.
        return render(request, "engagement/respond/received.html", {"q": q, "reference": ""})
    try:
        response, _created = services.response_submit(
            version=view.version,
            raw=state["a"],
            token=token,
            publish_consent=request.POST.get("publish_consent") == "yes",
            receipt_email=email,
            tell_outcome=tell_outcome,
            draft_token=str(state.get("d", "")),
            view=view,
            window=window,
        )
    except services.ResponsesClosed:
        return render(
            request,
            "engagement/respond/closed.html",
            {"q": q, "activity": q.activity, "window": "closed"},
            status=409,
        )
    except services.ResponseInvalid as exc:
        page = questionnaire.first_error_page(view.specs, exc.errors)
        return _page(request, q, view, state, page, window=window, errors=exc.errors)
    except services.ResponseNotStored as exc:
        # Not stored (the database was busy past its time limit): the same page, to
        # send again with the same token, so it can never be stored twice.
        return _page(
            request,
            q,
            view,
            state,
            view.page_count,
            window=window,
            send_errors=[{"href": "", "text": exc.message}],
            status=503,
        )
    return redirect("engagement_public:received", signed=services.receipt_sign(response.reference))


def _save_page(
    request: HttpRequest, q: Questionnaire, state: dict[str, Any], page: int
) -> HttpResponse:
    return render(
        request,
        "engagement/respond/save.html",
        {
            "q": q,
            "title": q.activity.title if q.activity else q.title,
            "state": services.state_sign(state),
            "page": page,
            "form_url": _form_url(q),
            "error": "",
            "email": "",
        },
    )


def _save_confirm(
    request: HttpRequest, q: Questionnaire, state: dict[str, Any], page: int
) -> HttpResponse:
    email = request.POST.get("email", "").strip()
    error = ""
    try:
        if has_control_characters(email):
            raise ValidationError("control")
        validate_email(email)
    except ValidationError:
        error = (
            "Enter your email address, like name@example.com, so that we can send you a link"
            if not email
            else "Enter an email address in the correct format, like name@example.com"
        )
    status = 400
    if not error:
        error = services.draft_mail_refusal(email=email, address=_client_address(request))
        status = 429
    if error:
        return render(
            request,
            "engagement/respond/save.html",
            {
                "q": q,
                "title": q.activity.title if q.activity else q.title,
                "state": services.state_sign(state),
                "page": page,
                "form_url": _form_url(q),
                "error": error,
                "email": email,
            },
            status=status,
        )
    draft = services.draft_save(
        questionnaire_obj=q,
        state=state,
        page=page,
        email=email,
        link_for=lambda signed: request.build_absolute_uri(
            reverse("engagement_public:resume", args=[signed])
        ),
    )
    return render(
        request,
        "engagement/respond/saved.html",
        {
            "q": q,
            "title": q.activity.title if q.activity else q.title,
            "draft": draft,
            "email": email,
        },
    )


def resume(request: HttpRequest, signed: str) -> HttpResponse:
    """The emailed link: back to the page where the person left off."""
    try:
        draft = services.draft_from_link(signed)
    except services.LinkInvalid as exc:
        return render(
            request, "engagement/respond/link_invalid.html", {"problem": str(exc)}, status=410
        )
    q = draft.questionnaire
    window = selectors_responses.response_window(q.activity)
    if window in ("closed", "not_open"):
        return render(
            request,
            "engagement/respond/closed.html",
            {"q": q, "activity": q.activity, "window": window},
        )
    state = dict(draft.state)
    try:
        version = QuestionnaireVersion.objects.get(pk=state["v"], questionnaire=q)
    except (KeyError, QuestionnaireVersion.DoesNotExist):
        return _broken(request, q)
    view = selectors_responses.version_view(version)
    page = min(draft.page, view.page_count)
    return _page(request, q, view, state, page, window=window)


def received(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        reference = services.receipt_read(signed)
    except services.LinkInvalid:
        return render(
            request,
            "engagement/respond/link_invalid.html",
            {"problem": "This confirmation page has expired. Your response was still received."},
            status=410,
        )
    response = selectors_responses.response_by_reference(reference)
    if response is None:
        raise Http404("No such response")
    return render(
        request,
        "engagement/respond/received.html",
        {
            "q": response.questionnaire,
            "reference": reference,
            "response": response,
            "copy_url": reverse(
                "engagement_public:received_copy", args=[services.copy_sign(reference)]
            ),
            "copy_hours": services.COPY_HOURS,
        },
    )


def received_copy(request: HttpRequest, signed: str) -> HttpResponse:
    """A copy of one's own answers as a PDF, from the short-lived link on the
    confirmation page."""
    try:
        reference = services.copy_read(signed)
    except services.LinkInvalid as exc:
        return render(
            request, "engagement/respond/link_invalid.html", {"problem": str(exc)}, status=410
        )
    response = selectors_responses.response_by_reference(reference)
    if response is None:
        raise Http404("No such response")
    data = template_pdf(
        "engagement/respond/copy_document.html",
        {
            "response": response,
            "rows": selectors_responses.response_copy(response),
            "organisation": settings.HEARD_ORGANISATION_NAME,
            "site_name": settings.HEARD_SITE_NAME,
        },
    )
    out = HttpResponse(data, content_type="application/pdf")
    out["Content-Disposition"] = f'attachment; filename="your-answers-{reference}.pdf"'
    out["Cache-Control"] = "no-store"
    return out


def _broken(request: HttpRequest, q: Questionnaire) -> HttpResponse:
    return render(
        request,
        "engagement/respond/link_invalid.html",
        {
            "problem": "We could not read your answers: the form was changed or damaged on its way.",
            "restart_url": _form_url(q),
        },
        status=400,
    )


def paper_context(q: Questionnaire, version: QuestionnaireVersion) -> dict[str, Any]:
    view = selectors_responses.version_view(version)
    return {
        "q": q,
        "activity": q.activity,
        "title": q.activity.title if q.activity else q.title,
        "pages": questionnaire.paper_form(
            view.specs,
            [s.title for s in view.sections],
            {qn.key: qn.hint for qn in view.questions if qn.hint},
        ),
        "organisation": settings.HEARD_ORGANISATION_NAME,
        "site_name": settings.HEARD_SITE_NAME,
        "contact_email": settings.HEARD_CONTACT_EMAIL,
        "contact_phone": settings.HEARD_CONTACT_PHONE,
        "contact_address": [line for line in settings.HEARD_CONTACT_ADDRESS if line.strip()],
    }


def paper_pdf(context: dict[str, Any], filename: str) -> HttpResponse:
    out = HttpResponse(
        template_pdf("engagement/respond/paper_document.html", context),
        content_type="application/pdf",
    )
    out["Content-Disposition"] = f'inline; filename="{filename}"'
    return out


def paper(request: HttpRequest, slug: str) -> HttpResponse:
    """The questionnaire people answer now, laid out to print and send back on paper
    (paper responses count as much as online ones; staff enter them)."""
    q = _questionnaire_for_slug(slug)
    version = selectors_responses.respondable_version(q)
    if version is None:
        raise Http404("This questionnaire has no questions yet")
    return paper_pdf(paper_context(q, version), f"{slug}-paper-questionnaire.pdf")
