from typing import Any

from allauth.account.forms import LoginForm
from allauth.mfa.base.forms import AuthenticateForm
from django import forms
from django.urls import reverse
from django.utils.html import format_html

from heard.core.forms import NHSFormMixin
from heard.core.roles import Role


class StaffInviteForm(NHSFormMixin, forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.nhs.uk"
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )


class RoleChangeForm(NHSFormMixin, forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=[*Role.choices, ("", "No staff role (removes access to the staff area)")],
        widget=forms.RadioSelect,
        required=False,
    )


class StaffLoginForm(LoginForm):
    """allauth's sign-in form, for staff accounts only.

    A member of the public (an account with no staff role) is refused with a pointer to
    the member sign-in, before any session starts: the staff sign-in asks a second factor
    only of staff, so it must never open an account without one.
    """

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = getattr(self, "user", None)
        if user is not None and not getattr(user, "is_staff_member", False):
            self.user = None
            raise forms.ValidationError(
                format_html(
                    "This sign-in is for staff. If you are a member of the public, "
                    '<a href="{}">sign in to your member account</a> with a link we email you.',
                    reverse("members:sign_in"),
                ),
                code="not_staff",
            )
        return cleaned


class StaffTwoFactorForm(AuthenticateForm):
    """allauth's code form; a lock-out (too many wrong codes) is audited.

    (A wrong code is audited from allauth's ``authentication_failed`` signal.)
    """

    def clean_code(self) -> str:
        try:
            return str(super().clean_code())
        except forms.ValidationError as exc:
            if exc.code == "too_many_login_attempts":
                from heard.accounts.receivers import sign_in_locked_out

                sign_in_locked_out(user=self.user, step="two-factor code")
            raise
