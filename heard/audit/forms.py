from typing import Any

from django import forms

from heard.audit.models import Action
from heard.audit.selectors import EventFilter
from heard.core.forms import NHSDateField


class EventFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *Action.choices]
    )
    subject_type = forms.CharField(label="Subject type", required=False, max_length=64)
    subject_id = forms.CharField(label="Subject id", required=False, max_length=64)
    actor_id = forms.IntegerField(label="Actor (user id)", required=False, min_value=1)
    date_from = NHSDateField(label="From", required=False, hint="For example, 1 11 2026")
    date_to = NHSDateField(label="To", required=False, hint="For example, 30 11 2026")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data

    def to_filter(self) -> EventFilter:
        if not self.is_valid():
            return EventFilter()
        d = self.cleaned_data
        return EventFilter(
            action=d.get("action") or "",
            actor_id=d.get("actor_id"),
            subject_type=d.get("subject_type") or "",
            subject_id=d.get("subject_id") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
        )
