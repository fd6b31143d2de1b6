"""Forms for the consultation's staff pages."""

from typing import Any

from django import forms

from heard.consultations.models import Council
from heard.core.forms import NHSDateField, NHSDateTimeField, NHSFormMixin


def _datetime(label: str, help_text: str = "UK time, for example 1 3 2027 and 9am") -> Any:
    return NHSDateTimeField(required=False, label=label, hint=help_text)


class SectionForm(forms.Form):
    body = forms.CharField(
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Plain English. A blank line starts a new paragraph; lines starting with "
        "a dash are shown as a list.",
    )


class CorrectionForm(SectionForm):
    """A correction to a section of an opened consultation's document."""

    reason = forms.CharField(
        label="Why is it being corrected?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Published beside the corrected text: “Corrected on … because …”.",
        error_messages={"required": "Give the reason for the correction."},
    )


class DatesForm(NHSFormMixin, forms.Form):
    opens_at = _datetime("Opens")
    closes_at = _datetime(
        "Closes",
        "UK time, for example 24 5 2027 and 5pm. The consultation closes at this exact time.",
    )
    # A new closing time already past is almost always a wrong year.
    not_in_past = ("closes_at",)
    justification = forms.CharField(
        required=False,
        max_length=5000,
        label="Why a shorter period is adequate (if it is shorter than the usual period)",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "The closing time must be after the opening time")
        return data


class CouncilForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = ("name", "committee", "contact_email")
        labels = {
            "name": "Council",
            "committee": "Overview and scrutiny committee",
            "contact_email": "Contact email address",
        }
        help_texts = {"contact_email": "Changes to the scrutiny dates are emailed here"}


class OscForm(NHSFormMixin, forms.Form):
    osc_comments_due_on = NHSDateField(
        required=False, label="Date the committee's comments are due"
    )
    proposed_decision_on = NHSDateField(required=False, label="Proposed decision date")
    joint_committee_name = forms.CharField(
        required=False,
        max_length=200,
        label="Joint committee (where several councils are consulted)",
    )


class MailoutForm(forms.Form):
    subject = forms.CharField(max_length=200, label="Email subject")
    message = forms.CharField(
        max_length=5000,
        label="Message",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A link to the consultation page is added below your message.",
    )
    groups = forms.MultipleChoiceField(
        required=False,
        label="Stakeholder groups to email",
        widget=forms.CheckboxSelectMultiple,
    )
    include_members = forms.BooleanField(
        required=False,
        label="Also email members interested in this proposal's topics or places who "
        "agreed to be contacted",
    )

    def __init__(self, *args: Any, group_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = group_choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("groups") and not data.get("include_members"):
            self.add_error("groups", "Choose at least one group, or the members")
        return data


class MidpointForm(forms.Form):
    action_taken = forms.CharField(
        max_length=5000,
        label="What we are doing about it",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, extra drop-in sessions, outreach through a community group, "
        "or why no action is needed.",
        error_messages={"required": "Say what action was taken, or why none is needed"},
    )


class SignOffForm(forms.Form):
    note = forms.CharField(
        max_length=5000,
        label="What was agreed or checked",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what was agreed or checked"},
    )
