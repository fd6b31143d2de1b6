"""Forms for involvement pages. Validation only: the rules live in services and domain."""

from typing import Any

from django import forms

from heard.core.forms import NHSDateField, NHSDateTimeField, NHSFormMixin
from heard.involvement.models import Opportunity
from heard.involvement.population import DIMENSION_LABELS, dimensions_problem
from heard.involvement.selectors import (
    BUILT_IN_KEY,
    Criteria,
    often_threshold,
    population_choices,
)
from heard.people import equality
from heard.people.models import Group, Member, Topic


class OpportunityForm(NHSFormMixin, forms.ModelForm):
    starts_at = NHSDateTimeField(
        label="Starts",
        hint="For example, 14 3 2027 and 6:30pm",
        error_messages={"required": "Enter when the opportunity starts"},
    )
    ends_at = NHSDateTimeField(
        label="Ends (optional)", required=False, hint="For example, 14 3 2027 and 8:30pm"
    )
    reply_by = NHSDateField(
        label="Reply by (optional)",
        required=False,
        hint="Links in invitations stop working after this day; without it, after 30 days",
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Topics and service areas",
    )

    class Meta:
        model = Opportunity
        fields = [
            "title",
            "summary",
            "details",
            "starts_at",
            "ends_at",
            "reply_by",
            "where_kind",
            "place",
            "time_asked",
            "payment",
            "payment_details",
            "who_wanted",
            "topics",
            "locality",
            "places",
        ]
        labels = {
            "summary": "Summary",
            "details": "What's involved",
            "where_kind": "Where",
            "place": "Place or online platform",
            "time_asked": "Time asked",
            "payment": "Expenses and payment",
            "payment_details": "Expenses and payment details (optional)",
            "who_wanted": "Who we want to hear from (optional)",
            "locality": "Locality (optional)",
            "places": "How many people we need",
        }
        help_texts = {
            "summary": "One sentence, shown in the invitation email's first line",
            "time_asked": "For example: 2 hours, once a month for 6 months",
            "places": "The number of people you hope will take part",
        }
        widgets = {
            "where_kind": forms.RadioSelect,
            "payment": forms.RadioSelect,
            "details": forms.Textarea(attrs={"rows": 5}),
            "payment_details": forms.Textarea(attrs={"rows": 3}),
            "who_wanted": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "summary": {"required": "Enter a one-sentence summary"},
            "time_asked": {"required": "Enter how much time you are asking for"},
            "places": {
                "required": "Enter how many people you need",
                "invalid": "Enter the number of people as a whole number, for example 12",
            },
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end must be after the start")
        if data.get("places") == 0:
            self.add_error("places", "Enter at least 1 person")
        return data

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "topics"}


def _locality_choices() -> list[tuple[str, str]]:
    names = (
        Member.objects.exclude(locality="")
        .order_by("locality")
        .values_list("locality", flat=True)
        .distinct()
    )
    return [(n, n) for n in names]


class CriteriaForm(forms.Form):
    """Who to invite. Equality answers are used here only to select, never shown per person."""

    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Interested in (any of)",
    )
    localities = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Living in (any of)"
    )
    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.filter(active=True),
        required=False,
        label="Member of a group (any of)",
        help_text="Hold Ctrl (or Cmd) to choose more than one",
    )
    age_bands = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Age band (any of)",
        choices=[c for c in equality.AGE_BAND if c[0] != "prefer_not_to_say"],
    )
    sexes = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Sex (any of)",
        choices=[c for c in equality.SEX if c[0] != "prefer_not_to_say"],
    )
    ethnic_groups = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Ethnic group (any of)",
        choices=list(equality.ETHNIC_BROAD.items()),
    )

    not_asked_often = forms.BooleanField(
        required=False,
        initial=True,
        label="Leave out members we have asked often",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["localities"].choices = _locality_choices()  # type: ignore[attr-defined]
        often = self.fields["not_asked_often"]
        often.help_text = f"Asked {often_threshold()} or more times in the last 12 months"

    def criteria(self) -> Criteria:
        data = self.cleaned_data
        return Criteria(
            topics=[t.pk for t in data.get("topics") or []],
            localities=list(data.get("localities") or []),
            groups=[g.pk for g in data.get("groups") or []],
            age_bands=list(data.get("age_bands") or []),
            sexes=list(data.get("sexes") or []),
            ethnic_groups=list(data.get("ethnic_groups") or []),
            not_asked_often=bool(data.get("not_asked_often")),
        )


class SampleForm(CriteriaForm):
    size = forms.IntegerField(
        label="Sample size",
        min_value=1,
        max_value=5000,
        help_text="How many people to invite",
        error_messages={
            "required": "Enter how many people to invite",
            "invalid": "Enter the sample size as a whole number, for example 40",
            "min_value": "Enter a sample size of at least 1",
            "max_value": "Enter a sample size of 5,000 or fewer",
        },
    )
    dimensions = forms.MultipleChoiceField(
        label="Match the population on",
        widget=forms.CheckboxSelectMultiple,
        choices=list(DIMENSION_LABELS.items()),
        error_messages={"required": "Choose at least one characteristic to match on"},
    )
    population = forms.ChoiceField(label="Reference population")
    redistribute = forms.BooleanField(
        label="If a group cannot be filled, give its places to the other groups",
        required=False,
        initial=True,
    )
    seed = forms.IntegerField(
        label="Random seed (optional)",
        required=False,
        min_value=0,
        help_text="Leave empty for a fresh draw; enter a previous seed to repeat a draw",
        error_messages={"invalid": "Enter the seed as a whole number, or leave it empty"},
    )

    field_order = ["size", "dimensions", "population", "redistribute", "seed"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["population"].choices = population_choices()  # type: ignore[attr-defined]
        self.fields["population"].initial = BUILT_IN_KEY

    def clean_dimensions(self) -> list[str]:
        chosen = list(self.cleaned_data.get("dimensions") or [])
        problem = dimensions_problem(chosen)
        if problem:
            raise forms.ValidationError(problem)
        return chosen


class PopulationUploadForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="For example: Great Yarmouth, Census 2021",
        error_messages={"required": "Enter a name for this population"},
    )
    file = forms.FileField(
        label="Population file (CSV)",
        help_text="Columns: dimension, category, count, share – as in the built-in Norfolk file",
        error_messages={"required": "Choose a CSV file to upload"},
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 1_000_000:
            raise forms.ValidationError("The file must be smaller than 1 MB")
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return str(raw.decode(encoding))
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError("The file must be a CSV saved as text (UTF-8)")


class RetentionRulesForm(forms.Form):
    remind_days = forms.IntegerField(
        label="Remind members after this many days without activity",
        min_value=30,
        help_text="1,095 days is 3 years",
        error_messages={
            "required": "Enter the number of days before a reminder",
            "invalid": "Enter the number of days as a whole number, for example 1095",
            "min_value": "Enter at least 30 days",
        },
    )
    remind_enabled = forms.BooleanField(label="Send reminders", required=False)
    erase_days = forms.IntegerField(
        label="Erase members after this many days without activity",
        min_value=30,
        help_text="1,825 days is 5 years",
        error_messages={
            "required": "Enter the number of days before erasing",
            "invalid": "Enter the number of days as a whole number, for example 1825",
            "min_value": "Enter at least 30 days",
        },
    )
    erase_enabled = forms.BooleanField(label="Erase long-inactive members", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        remind, erase = data.get("remind_days"), data.get("erase_days")
        if (
            remind
            and erase
            and data.get("remind_enabled")
            and data.get("erase_enabled")
            and erase <= remind
        ):
            self.add_error(
                "erase_days",
                "Erase after must be longer than remind after, so members are reminded first",
            )
        return data
