from django import forms

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
