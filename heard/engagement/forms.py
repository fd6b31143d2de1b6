from typing import Any

from django import forms

from heard.core.forms import NHSDateTimeField, NHSFormMixin
from heard.engagement import domain
from heard.engagement.models import Activity
from heard.people.models import Group, Topic
from heard.people.postcodes import LOCALITIES


class ActivityForm(NHSFormMixin, forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Topics",
    )
    localities = forms.MultipleChoiceField(
        choices=[(n, n) for n in LOCALITIES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Places it is about",
    )
    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Audience groups",
    )
    limbs = forms.MultipleChoiceField(
        choices=list(domain.LIMBS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which part of the duty to involve does this serve?",
    )
    principles = forms.TypedMultipleChoiceField(
        choices=list(domain.PRINCIPLES.items()),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which of the ten principles does this serve?",
    )
    opens_at = NHSDateTimeField(
        required=False,
        label="Opening date and time",
        hint="UK time. For example, 1 12 2026 and 9am",
    )
    closes_at = NHSDateTimeField(
        required=False,
        label="Closing date and time",
        hint="UK time. For example, 12 1 2027 and 5pm",
    )
    event_starts_at = NHSDateTimeField(required=False, label="Event starts")
    event_ends_at = NHSDateTimeField(required=False, label="Event ends")
    # A closing or event date moved into the past is almost always a wrong year.
    not_in_past = ("closes_at", "event_starts_at", "event_ends_at")

    class Meta:
        model = Activity
        fields = [
            "title",
            "summary",
            "body",
            "level",
            "kind",
            "opens_at",
            "closes_at",
            "event_starts_at",
            "event_ends_at",
            "venue",
            "address",
            "access_information",
            "allow_late_responses",
        ]
        widgets = {
            "level": forms.RadioSelect,
            "kind": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 8}),
            "address": forms.Textarea(attrs={"rows": 3}),
            "access_information": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"level": "Level on the spectrum of engagement", "kind": "Type of activity"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("topics", list(self.instance.topics.all()))
            self.initial.setdefault("groups", list(self.instance.audience_groups.all()))
            self.initial.setdefault(
                "localities", [loc.name for loc in self.instance.localities.all()]
            )
            self.initial.setdefault("limbs", self.instance.limbs)
            self.initial.setdefault("principles", self.instance.principles)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "The closing date must be after the opening date")
        if (
            data.get("event_starts_at")
            and data.get("event_ends_at")
            and data["event_ends_at"] < data["event_starts_at"]
        ):
            self.add_error("event_ends_at", "The event must end after it starts")
        return data

    def model_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        fields = {name: d[name] for name in self.Meta.fields}
        fields["limbs"] = list(d.get("limbs") or [])
        fields["principles"] = list(d.get("principles") or [])
        return fields


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label="You said, we did",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text="What people told us, and what we did as a result. Published on the activity's page.",
    )


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=Activity.Status.choices)
    # Closing before the published closing time: why (published as a notice).
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)


class ResponseEraseForm(NHSFormMixin, forms.Form):
    reference = forms.CharField(
        label="Response reference",
        help_text="The reference on the person's receipt, for example HYS-4K2M-9QXT.",
        max_length=40,
        error_messages={"required": "Enter the reference of the response to erase"},
    )
    reason = forms.CharField(
        label="Why are you erasing it?",
        help_text="Name the request: who asked, how and when (for example: "
        "\u201cemailed request from the respondent on 3 December 2026, our ref DP-1182\u201d).",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter why you are erasing the response"},
    )
    dpo_agreed = forms.BooleanField(
        label="The data protection officer agreed to erase a response to a formal consultation",
        required=False,
    )
