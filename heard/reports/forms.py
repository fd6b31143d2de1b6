"""Staff forms for the annual involvement report (NHS.UK patterns: heard.core.forms)."""

from typing import Any

from django import forms
from django.utils import timezone

from heard.core.forms import NHSDateField, NHSFormMixin
from heard.reports import domain


class CreateForm(NHSFormMixin, forms.Form):
    year = forms.TypedChoiceField(
        label="Which financial year?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the financial year the report is for."},
    )

    def __init__(self, *args: Any, taken: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = domain.financial_year_of(timezone.localdate())
        years = [y for y in range(current, current - 4, -1) if y not in (taken or set())]
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (y, f"{domain.financial_year(y).label} ({domain.financial_year(y).long_label})")
            for y in years
        ]


class NarrativeForm(NHSFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, heading, hint in domain.SECTIONS:
            required = key in domain.REQUIRED_SECTIONS
            self.fields[key] = forms.CharField(
                label=heading if required else f"{heading} (optional)",
                help_text=hint
                + (" Needed before the board approves the report." if required else ""),
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for key, message in domain.narrative_problems(
            {k: data.get(k, "") or "" for k in domain.SECTION_KEYS}, required=False
        ).items():
            self.add_error(key, message)
        return data


class ApproveForm(NHSFormMixin, forms.Form):
    approved_on = NHSDateField(
        label="Date the board approved it",
        error_messages={"required": "Enter the date the board approved the report."},
    )
    meeting = forms.CharField(
        label="The board meeting",
        max_length=300,
        help_text="For example, “ICB board meeting in public, item 9”.",
        error_messages={"required": "Name the board meeting that approved the report."},
    )


class ReopenForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why is the report being reopened?",
        help_text="Shown on the corrected version when it is published.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for reopening the report."},
    )
