"""Administrators manage staff accounts: invite, change role, switch off, reset two-factor."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from heard.accounts import services
from heard.accounts.forms import RoleChangeForm, StaffInviteForm
from heard.accounts.models import User
from heard.accounts.selectors import staff_users, user_has_totp
from heard.core.permissions import permission_required


@permission_required("accounts.manage_users")
def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/staff/user_list.html", {"users": staff_users()})


@permission_required("accounts.manage_users")
def user_invite(request: HttpRequest) -> HttpResponse:
    form = StaffInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def link(user: User) -> str:
            key = default_token_generator.make_token(user)
            path = reverse(
                "account_reset_password_from_key",
                kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
            )
            return request.build_absolute_uri(path)

        try:
            user = services.staff_invite(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
                actor=request.user,
                set_password_url=link,
            )
        except services.AccountError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request, f"{user.email} has been invited. They will get an email to set a password."
            )
            return redirect("users:list")
    return render(request, "accounts/staff/user_invite.html", {"form": form})


@permission_required("accounts.manage_users")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.exclude(role=""), pk=pk)
    form = RoleChangeForm(request.POST or None, initial={"role": user.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_role_change(user=user, role=form.cleaned_data["role"], actor=request.user)
        except services.AccountError as exc:
            form.add_error("role", str(exc))
        else:
            messages.success(request, "The role has been changed.")
            return redirect("users:list")
    return render(
        request,
        "accounts/staff/user_detail.html",
        {"subject": user, "form": form, "has_totp": user_has_totp(user)},
    )


@require_POST
@permission_required("accounts.manage_users")
def user_toggle_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.exclude(role=""), pk=pk)
    try:
        services.user_set_active(user=user, active=not user.is_active, actor=request.user)
    except services.AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{user.email} is now {'switched on' if user.is_active else 'switched off'}."
        )
    return redirect("users:detail", pk=user.pk)


@require_POST
@permission_required("accounts.manage_users")
def user_reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.exclude(role=""), pk=pk)
    services.user_two_factor_reset(user=user, actor=request.user)
    messages.success(
        request,
        f"Two-factor authentication was reset for {user.email}. They must set up a new app at their next sign-in.",
    )
    return redirect("users:detail", pk=user.pk)
