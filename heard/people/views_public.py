"""The membership scheme for members of the public: thin views over membership services.

Member pages need a signed-in member (a user linked to a ``Member``); anyone else is
sent to the member sign-in page, never the staff one.
"""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from heard.core import ratelimit
from heard.people.equality import QUESTIONS
from heard.people.forms_public import (
    EmailChangeForm,
    EqualityForm,
    JoinForm,
    MemberDetailsForm,
    SignInCodeForm,
    SignInForm,
    contact_consent_wording,
    membership_consent_wording,
)
from heard.people.models import Member
from heard.people.postcodes import InvalidPostcode
from heard.people.selectors import member_equality_answers, member_for_user
from heard.people.services.members import (
    MemberError,
    member_data_download,
    member_equality_update,
    member_erase,
    member_update,
)
from heard.people.services.membership import (
    JoinDetails,
    LinkError,
    MailLimited,
    member_email_change_check,
    member_email_change_confirm,
    member_email_change_request,
    member_join,
    member_sign_in,
    member_sign_in_check,
    member_sign_in_request,
    member_sign_in_with_code,
    member_unsubscribe,
    member_unsubscribe_check,
    member_verify,
    member_verify_check,
)

AUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
SESSION_EMAIL_KEY = "members_check_email"
SESSION_NEXT_KEY = "members_next"

MemberView = Callable[[HttpRequest, Member], HttpResponse]

# Requests for an email (join, sign in, change of address) from one client address per
# hour, whatever addresses they name (20 join emails in 4.6 s from one machine before).
MAIL_REQUESTS_PER_CLIENT_PER_HOUR = 10
CLIENT_LIMITED_MESSAGE = (
    "You have asked us for a lot of emails from this connection in the last hour. "
    "Try again in an hour"
)


def _client_mail_allowed(request: HttpRequest) -> bool:
    return ratelimit.hit(
        purpose="member-mail-client",
        subject=ratelimit.address_subject(ratelimit.client_address(request)),
        limit=MAIL_REQUESTS_PER_CLIENT_PER_HOUR,
        seconds=60 * 60,
    )


def _posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data, even when empty (an empty POST must still be validated)."""
    return request.POST if request.method == "POST" else None


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def member_required(view: MemberView) -> Callable[..., HttpResponse]:
    """Only a signed-in member reaches the view (it gets the member as an argument)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member = member_for_user(request.user)
        if member is None:
            if request.user.is_authenticated:
                messages.info(
                    request, "Sign in with the email address you joined the membership with."
                )
            return redirect(f"{reverse('members:sign_in')}?{urlencode({'next': request.path})}")
        response = view(request, member, *args, **kwargs)
        # Personal data: not kept by browsers or proxies (shared computers, the back button).
        add_never_cache_headers(response)
        return response

    return wrapped


def _link_problem(request: HttpRequest, *, again_url: str, again_text: str) -> HttpResponse:
    return render(
        request,
        "people/public/link_problem.html",
        {"again_url": again_url, "again_text": again_text},
        status=400,
    )


# --- joining --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    if member_for_user(request.user) is not None:
        messages.info(request, "You are already a member.")
        return redirect("members:account")
    form = JoinForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        methods = list(data["contact_methods"])
        details = JoinDetails(
            full_name=data["full_name"],
            email=data["email"],
            postcode=data["postcode"],
            phone=data["phone"],
            interests=list(data["interests"]),
            contact_by_email="email" in methods,
            contact_by_phone="phone" in methods,
            contact_by_post=False,
            membership_wording=membership_consent_wording(),
            contact_wording=contact_consent_wording(methods),
        )
        try:
            if not _client_mail_allowed(request):
                raise MailLimited(CLIENT_LIMITED_MESSAGE)
            member_join(details=details, base_url=_base_url(request))
        except InvalidPostcode as exc:
            form.add_error("postcode", str(exc))
        except MailLimited as exc:
            form.add_error("email", str(exc))
            return render(request, "people/public/join.html", {"form": form}, status=429)
        else:
            request.session[SESSION_EMAIL_KEY] = data["email"]
            return redirect("members:join_check_email")
    return render(request, "people/public/join.html", {"form": form})


def join_check_email(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "people/public/join_check_email.html",
        {"email": request.session.get(SESSION_EMAIL_KEY, "")},
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for a click (email scanners open links); POST confirms and signs in."""
    try:
        if request.method == "GET":
            member = member_verify_check(token=token)
            if member.user_id is None:
                return render(request, "people/public/verify.html")
            user = None
        else:
            _member, user = member_verify(token=token)
    except LinkError:
        return _link_problem(
            request,
            again_url=reverse("members:sign_in"),
            again_text="Get a new link",
        )
    if user is None:
        messages.info(request, "Your email address is already confirmed. Sign in to continue.")
        return redirect("members:sign_in")
    login(request, user, backend=AUTH_BACKEND)
    messages.success(request, "Thank you. Your email address is confirmed and you are a member.")
    return redirect("members:account")


# --- signing in -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if member_for_user(request.user) is not None:
        return redirect("members:account")
    form = SignInForm(_posted(request))
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.method == "POST" and form.is_valid():
        try:
            if not _client_mail_allowed(request):
                raise MailLimited(CLIENT_LIMITED_MESSAGE)
            member_sign_in_request(email=form.cleaned_data["email"], base_url=_base_url(request))
        except MailLimited as exc:
            form.add_error("email", str(exc))
            return render(
                request, "people/public/sign_in.html", {"form": form, "next": next_url}, status=429
            )
        request.session[SESSION_EMAIL_KEY] = form.cleaned_data["email"]
        if next_url and url_has_allowed_host_and_scheme(
            next_url, {request.get_host()}, require_https=request.is_secure()
        ):
            # The link opens in the same browser, usually: take them back where they were.
            request.session[SESSION_NEXT_KEY] = next_url
        return redirect("members:sign_in_check_email")
    return render(request, "people/public/sign_in.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def sign_in_check_email(request: HttpRequest) -> HttpResponse:
    """Where the sign-in link is waited for; the code from the email can be typed here."""
    email = request.session.get(SESSION_EMAIL_KEY, "")
    form = SignInCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if not email:
            form.add_error(None, "Ask for a new code: enter your email address on the sign-in page")
        else:
            try:
                user = member_sign_in_with_code(email=email, code=form.cleaned_data["code"])
            except LinkError as exc:
                form.add_error("code", str(exc))
            else:
                return _signed_in(request, user)
    return render(request, "people/public/sign_in_check_email.html", {"email": email, "form": form})


def _signed_in(request: HttpRequest, user: Any) -> HttpResponse:
    next_url = request.session.get(SESSION_NEXT_KEY, "")
    login(request, user, backend=AUTH_BACKEND)
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return redirect(next_url)
    return redirect("members:account")


@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for a click (email scanners open links); POST uses the one-time link."""
    try:
        if request.method == "POST":
            user = member_sign_in(token=token)
        else:
            member_sign_in_check(token=token)
            return render(request, "people/public/sign_in_link.html")
    except LinkError:
        return _link_problem(
            request, again_url=reverse("members:sign_in"), again_text="Get a new sign-in link"
        )
    return _signed_in(request, user)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect("public:home")


# --- my account -----------------------------------------------------------------------


@member_required
def account(request: HttpRequest, member: Member) -> HttpResponse:
    answered = sum(1 for value in member_equality_answers(member=member).values() if value)
    return render(
        request,
        "people/public/account.html",
        {
            "member": member,
            "interests": member.interests.all(),
            "equality_answered": answered,
            "equality_total": len(QUESTIONS),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def account_details(request: HttpRequest, member: Member) -> HttpResponse:
    methods = [
        value
        for value, on in (("email", member.contact_by_email), ("phone", member.contact_by_phone))
        if on
    ]
    initial = {
        "full_name": member.full_name,
        "postcode": member.postcode,
        "phone": member.phone,
        "interests": list(member.interests.values_list("pk", flat=True)),
        "contact_methods": methods,
    }
    form = MemberDetailsForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["contact_methods"])
        try:
            changed = member_update(
                member=member,
                actor=request.user,
                full_name=data["full_name"],
                phone=data["phone"],
                postcode=data["postcode"],
                interests=data["interests"],
                contact_by_email="email" in chosen,
                contact_by_phone="phone" in chosen,
                contact_by_post=member.contact_by_post,
                contact_wording=contact_consent_wording(chosen),
            )
        except InvalidPostcode as exc:
            form.add_error("postcode", str(exc))
        else:
            messages.success(
                request,
                "Your details have been saved." if changed else "You did not change anything.",
            )
            return redirect("members:account")
    return render(request, "people/public/account_details.html", {"form": form, "member": member})


@member_required
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest, member: Member) -> HttpResponse:
    form = EmailChangeForm(_posted(request), current=member.email)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["email"]
        try:
            if not _client_mail_allowed(request):
                raise MailLimited(CLIENT_LIMITED_MESSAGE)
            member_email_change_request(
                member=member, new_email=new_email, base_url=_base_url(request)
            )
        except MailLimited as exc:
            form.add_error("email", str(exc))
            return render(
                request,
                "people/public/email_change.html",
                {"form": form, "member": member},
                status=429,
            )
        messages.info(
            request,
            f"We have sent a link to {new_email}. Open it within 3 days to finish changing "
            "your email address. Until then, keep using your current address.",
        )
        return redirect("members:account")
    return render(request, "people/public/email_change.html", {"form": form, "member": member})


@require_http_methods(["GET", "POST"])
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for a click (a scanner at the new address must not confirm it); POST acts."""
    try:
        if request.method == "GET":
            member_email_change_check(token=token)
            return render(request, "people/public/email_change_confirm.html")
        member_email_change_confirm(token=token, base_url=_base_url(request))
    except LinkError:
        return _link_problem(
            request,
            again_url=reverse("members:email_change"),
            again_text="Ask for a new link",
        )
    messages.success(request, "Your email address has been changed. Use it to sign in from now on.")
    if member_for_user(request.user) is not None:
        return redirect("members:account")
    return redirect("members:sign_in")


@member_required
@require_http_methods(["GET", "POST"])
def equality(request: HttpRequest, member: Member) -> HttpResponse:
    form = EqualityForm(_posted(request), initial=member_equality_answers(member=member))
    if request.method == "POST" and form.is_valid():
        try:
            member_equality_update(member=member, actor=request.user, answers=form.answers())
        except MemberError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your answers have been saved. Thank you.")
            return redirect("members:account")
    return render(request, "people/public/equality.html", {"form": form})


@member_required
@require_http_methods(["GET", "POST"])
def download(request: HttpRequest, member: Member) -> HttpResponse:
    if request.method == "GET":
        return render(request, "people/public/download.html")
    data = member_data_download(member=member, actor=request.user)
    filename = f"my-data-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@member_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, member: Member) -> HttpResponse:
    if request.method == "GET":
        return render(request, "people/public/delete.html", {"member": member})
    member_erase(member=member, actor=request.user, reason="request")
    logout(request)
    return redirect("members:deleted")


def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "people/public/deleted.html")


# --- unsubscribing --------------------------------------------------------------------


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation; POST (the button, or a mail client's one-click) acts.

    CSRF protection is not needed here: the signed token is the authority, and the
    only thing a forged POST could do is what the link's owner can do with one click.
    """
    try:
        if request.method == "POST":
            member_unsubscribe(token=token)
            return render(request, "people/public/unsubscribed.html")
        member = member_unsubscribe_check(token=token)
    except LinkError:
        return _link_problem(
            request,
            again_url=reverse("members:sign_in"),
            again_text="Sign in to change how we contact you",
        )
    return render(
        request,
        "people/public/unsubscribe.html",
        {"already": not member.contact_by_email},
    )
