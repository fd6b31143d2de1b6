from typing import Any

from allauth.account.forms import LoginForm
from allauth.mfa.base.forms import AuthenticateForm
from django import forms
from django.urls import reverse
from django.utils.html import format_html

from heard.core.forms import NHSDateField, NHSFormMixin
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


# --- the rules an administrator sets ------------------------------------------------------


class RulesForm(NHSFormMixin, forms.Form):
    consultation_min_weeks = forms.IntegerField(
        label="Minimum formal consultation period, in weeks",
        help_text="A shorter period needs a recorded, substantive justification "
        "(Gunning: adequate time). 12 weeks is the widely accepted default.",
        min_value=1,
        max_value=52,
    )
    small_number_threshold = forms.IntegerField(
        label="Small-number threshold",
        help_text="Counts from 1 to one below this are shown as \u201cfewer than N\u201d "
        "in every report and export.",
        min_value=1,
        max_value=100,
    )
    stage2_required = forms.TypedChoiceField(
        label="Must NHS England stage 2 assurance be passed before a formal consultation opens?",
        choices=[("yes", "Yes, required"), ("no", "No, not required")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    stage2_off_reason = forms.CharField(
        label="Why stage 2 assurance is not required (if not required)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    may_elections = forms.TypedChoiceField(
        label="Add the regular May pre-election period every year?",
        help_text="Six weeks before the first Thursday in May to the day after it.",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason for the change",
        help_text="Recorded in the audit trail with your name, the values before and after.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PreElectionPeriodForm(NHSFormMixin, forms.Form):
    name = forms.CharField(label="Election", max_length=200)
    starts_on = NHSDateField(label="Pre-election period starts")
    ends_on = NHSDateField(label="Pre-election period ends")
    reason = forms.CharField(label="Reason or source", widget=forms.Textarea(attrs={"rows": 2}))


class PreElectionPeriodRemoveForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for removing it", widget=forms.Textarea(attrs={"rows": 2})
    )
