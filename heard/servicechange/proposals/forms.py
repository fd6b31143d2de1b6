"""Forms for the proposals staff pages. Rules live in services/domain; forms check input."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from heard.core.forms import NHSDateField
from heard.engagement.models import Activity
from heard.people.models import Group, Topic
from heard.servicechange.proposals import domain
from heard.servicechange.proposals.models import Proposal
from heard.servicechange.proposals.selectors import localities, stakeholder_choices


def _staff_users() -> Any:
    return get_user_model().objects.exclude(role="").filter(is_active=True).order_by("full_name")


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.email


class ProposalForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        label="Title",
        help_text="Say what would change, in plain English",
        error_messages={"required": "Enter a title for the proposal"},
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="The case for change",
        help_text="Why the change is being considered and what it might mean for people",
        error_messages={"required": "Describe the case for change"},
    )
    services = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Services it would change",
    )
    localities = forms.MultipleChoiceField(
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Places it is about",
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Topics",
    )
    people_affected = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=100_000_000,
        label="About how many people would be affected",
        # A text box, not type=number (NHS.UK and GOV.UK advice: spinners and silent
        # rounding confuse people); the server checks it is a whole number.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        help_text="A whole number, for example 12000",
        error_messages={
            "invalid": "Enter the number of people affected as a whole number, like 12000",
            "min_value": "The number of people affected cannot be negative",
        },
    )
    lead = LeadChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Lead",
        empty_label="No lead yet",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["localities"].choices = [(n, n) for n in localities()]  # type: ignore[attr-defined]
        self.fields["topics"].queryset = Topic.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["lead"].queryset = _staff_users()  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, proposal: Proposal) -> dict[str, Any]:
        return {
            "title": proposal.title,
            "description": proposal.description,
            "services": proposal.services,
            "localities": list(proposal.localities or []),
            "topics": list(proposal.topics.all()),
            "people_affected": proposal.people_affected,
            "lead": proposal.lead,
        }


class HeardSoFarForm(forms.Form):
    heard_so_far = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        label="What we have heard so far",
        help_text="Shown on the public page. A plain summary; no names or personal details.",
    )


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=[(s.value, domain.STATUS_LABELS[s]) for s in domain.Status])
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        label="Note (optional)",
    )


class PrivacyForm(forms.Form):
    is_private = forms.TypedChoiceField(
        choices=[("no", "Show it on the public site"), ("yes", "Keep it private")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Public or private",
        error_messages={"required": "Choose whether to show the proposal or keep it private"},
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        label="Reason for keeping it private",
        help_text="Required to keep it private. It is recorded in the audit trail.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_private") and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for keeping this proposal private")
        return data


class EvidenceForm(forms.Form):
    """What the proposal drew on: an insight or activity (chosen from the lists on the
    page, sent as ids) or a note of other evidence."""

    insight = forms.IntegerField(required=False, widget=forms.HiddenInput)
    activity = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        label="Other evidence we drew on",
        help_text="For example a Healthwatch report or a patient story, and how it shaped the proposal",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("insight") or data.get("activity") or (data.get("note") or "").strip()):
            self.add_error("note", "Describe the evidence the proposal drew on")
        return data


class ActivityLinkForm(forms.Form):
    activity: forms.ModelChoiceField[Activity] = forms.ModelChoiceField(
        queryset=Activity.objects.none(),
        label="Activity",
        empty_label="Choose an activity",
        error_messages={
            "required": "Choose the activity to link",
            "invalid_choice": "Choose an activity from the list",
        },
    )
    plan_item = forms.ChoiceField(required=False, label="For which line of the engagement plan")
    is_early_engagement = forms.BooleanField(
        required=False,
        label="This is early engagement (before options are formed)",
    )

    def __init__(self, *args: Any, activities: Any, plan_items: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]
        self.fields["plan_item"].choices = [("", "No particular line")] + [  # type: ignore[attr-defined]
            (str(item.pk), item.who) for item in plan_items
        ]


class PlanForm(forms.Form):
    seldom_heard = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="How we will reach seldom-heard groups",
        help_text="Which groups, through whom (VCSE partners, Healthwatch, PPGs) and how",
    )
    timeline = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Timeline",
        help_text="The stages of engagement and roughly when each happens",
    )
    starts_on = NHSDateField(required=False, label="Starts")
    ends_on = NHSDateField(required=False, label="Ends")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return data


class PlanItemForm(forms.Form):
    stakeholder = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label="Stakeholder (from the stakeholder map)",
        empty_label="Not a group on the map",
    )
    audience = forms.CharField(
        max_length=200,
        required=False,
        label="Or another audience",
        help_text="For example: carers of people with dementia in Great Yarmouth",
    )
    methods = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Methods and activities",
        error_messages={"required": "Say how this audience will be involved"},
    )
    starts_on = NHSDateField(required=False, label="From")
    ends_on = NHSDateField(required=False, label="To")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        self.fields["stakeholder"].queryset = stakeholder_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("stakeholder") and not (data.get("audience") or "").strip():
            self.add_error(
                "stakeholder", "Choose a stakeholder from the map or describe the audience"
            )
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return data
