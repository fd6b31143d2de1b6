"""Forms for the consultation's staff pages."""

from typing import Any

from django import forms

from heard.core.forms import NHSDateField, NHSDateTimeField, NHSFormMixin
from heard.servicechange.consultations.models import Council, ScrutinyResponse


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
        help_text="Published beside the corrected text: “Corrected on … Reason: …”.",
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
        help_texts = {"contact_email": "The letters to the committee (reg. 23) are emailed here"}


class JointCommitteeForm(forms.Form):
    joint_committee_name = forms.CharField(
        required=False,
        max_length=200,
        label="Joint committee (where several councils are consulted)",
    )


class FirstLetterForm(NHSFormMixin, forms.Form):
    """The first letter to the committee under reg. 23."""

    comments_due_on = NHSDateField(
        label="Date by which the committee's comments are wanted",
        error_messages={"required": "Enter the date by which comments are wanted"},
    )
    proposed_decision_on = NHSDateField(
        label="Proposed decision date",
        error_messages={"required": "Enter the proposed decision date"},
    )
    contact = forms.CharField(
        max_length=500,
        label="Who the committee should contact at the ICB",
        help_text="A name and an email address or telephone number. Sent in the letter, "
        "never published.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter who the committee should contact"},
    )


class OscForm(NHSFormMixin, forms.Form):
    """A change of the dates after the first letter: a re-notification."""

    osc_comments_due_on = NHSDateField(label="Date by which the committee's comments are wanted")
    proposed_decision_on = NHSDateField(label="Proposed decision date")
    joint_committee_name = forms.CharField(
        required=False,
        max_length=200,
        label="Joint committee (where several councils are consulted)",
    )
    reason = forms.CharField(
        required=False,
        max_length=2000,
        label="Why the dates are changing",
        help_text="Sent to the committee with the new dates.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ScrutinyResponseForm(NHSFormMixin, forms.Form):
    received_on = NHSDateField(
        label="Date the committee's response was received",
        error_messages={"required": "Enter the date the response was received"},
    )
    position = forms.ChoiceField(
        label="What the committee said about the proposal",
        choices=ScrutinyResponse.Position.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the committee agrees, objects or refers"},
    )
    summary = forms.CharField(
        required=False,
        max_length=20000,
        label="What the committee said",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    file = forms.FileField(
        required=False,
        label="The committee's letter (PDF, Word or OpenDocument)",
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
