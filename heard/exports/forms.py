from typing import Any

from django import forms

from heard.core.forms import NHSFormMixin

FORMAT_CHOICES = [
    ("xlsx", "Excel (XLSX)"),
    ("csv", "CSV"),
    ("json", "JSON"),
]


class ResponsesForm(NHSFormMixin, forms.Form):
    format = forms.ChoiceField(
        label="Format",
        choices=FORMAT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the format of the export",
            "invalid_choice": "Select the format of the export from the list",
        },
    )
    unredacted = forms.BooleanField(
        label="Include personal data people wrote in their answers (unredacted)",
        help_text=(
            "Only if you need it: names, phone numbers and addresses people typed. "
            "Your download is recorded in the audit trail."
        ),
        required=False,
    )

    def __init__(self, *args: Any, may_unredact: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_unredact:
            del self.fields["unredacted"]


class AnalysisForm(NHSFormMixin, forms.Form):
    format = forms.ChoiceField(
        label="Format",
        choices=[
            ("xlsx", "Excel (XLSX): a sheet of themes and a sheet of codings"),
            ("csv", "CSV: a ZIP of themes.csv and codings.csv"),
            ("json", "JSON"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the format of the export",
            "invalid_choice": "Select the format of the export from the list",
        },
    )
