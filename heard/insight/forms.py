from typing import Any, cast

from django import forms

from heard.core.forms import NHSDateField
from heard.insight.models import Source
from heard.people.models import Topic
from heard.people.postcodes import LOCALITIES, OUTSIDE_AREA

DATE_HELP = "For example, 1 3 2025"


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for",
        required=False,
        max_length=200,
        help_text='Words must all appear. Put a phrase in quotes, for example "waiting list".',
    )
    date_from = NHSDateField(label="From", required=False, hint=DATE_HELP)
    date_to = NHSDateField(label="To", required=False, hint="For example, 30 4 2025")
    topic = forms.ChoiceField(label="Topic", required=False)
    locality = forms.ChoiceField(
        label="Place",
        required=False,
        choices=[("", "Any place"), *((n, n) for n in (*LOCALITIES, OUTSIDE_AREA))],
    )
    source = forms.ChoiceField(
        label="Source", required=False, choices=[("", "Any source"), *Source.choices]
    )
    theme = forms.ChoiceField(label="Theme", required=False)
    order = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("relevance", "Best match"), ("newest", "Newest first")],
    )

    def __init__(self, *args: Any, themes: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["topic"]).choices = [("", "Any topic")] + [
            (t.slug, t.name) for t in Topic.objects.filter(active=True).order_by("name")
        ]
        cast(forms.ChoiceField, self.fields["theme"]).choices = [("", "Any theme")] + [
            (t, t) for t in themes or []
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The “to” date must be the same as or after the “from” date.")
        return data


class SaveSearchForm(forms.Form):
    name = forms.CharField(
        label="Name this search",
        max_length=100,
        help_text="Saved searches are yours; re-run them from this page.",
        error_messages={"required": "Enter a name for the search, for example “Parking at NNUH”."},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "A CSV with a header row. Columns: text (or comment) and date are required; "
            "source, locality, service, channel and topics are optional."
        ),
        error_messages={"required": "Choose a CSV file to import."},
    )
    default_source = forms.ChoiceField(
        label="Where do these comments come from?",
        help_text="Used for rows without a source column value.",
        choices=[(v, label) for v, label in Source.choices if v != Source.SURVEY],
        widget=forms.RadioSelect,
        error_messages={"required": "Select where these comments come from."},
    )
