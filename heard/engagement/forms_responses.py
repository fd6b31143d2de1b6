"""Forms for the questionnaire builder, staff data entry and response import.

The public questionnaire pages do not use Django forms: their questions are built by
staff, so they are validated by the pure rules in questionnaire.py.
"""

from typing import Any, cast

from django import forms

from heard.core.forms import NHSDateField
from heard.engagement import questionnaire
from heard.engagement.models import Question, Response, Section
from heard.engagement.questionnaire import QuestionSpec
from heard.engagement.services_responses import (
    MAP_CHANNEL,
    MAP_CONSENT,
    MAP_IGNORE,
    MAP_RECEIVED,
    MAP_SOURCE_ID,
)


class QuestionnaireDetailsForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    introduction = forms.CharField(
        label="Introduction (optional)",
        help_text="Shown on the first page: how long it takes, what happens to the answers.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SectionForm(forms.Form):
    title = forms.CharField(
        label="Page heading",
        max_length=200,
        error_messages={"required": "Enter a heading for the page"},
    )
    introduction = forms.CharField(
        label="Introduction (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionForm(forms.Form):
    section = forms.TypedChoiceField(label="Page", coerce=int)
    kind = forms.ChoiceField(
        label="Type of question",
        choices=Question.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of question"},
    )
    text = forms.CharField(
        label="Question",
        max_length=500,
        error_messages={"required": "Enter the question"},
    )
    hint = forms.CharField(label="Hint (optional)", max_length=500, required=False)
    required = forms.BooleanField(label="People must answer this question", required=False)
    options = forms.CharField(
        label="Options (for single choice, multiple choice and ranking)",
        help_text="One option per line, in the order people see them.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    max_length = forms.IntegerField(
        label="Character limit (for long text)",
        help_text="Up to 10,000 characters. Leave empty for 2,000.",
        required=False,
        min_value=10,
        max_value=10000,
    )
    min_value = forms.IntegerField(label="Smallest number allowed (optional)", required=False)
    max_value = forms.IntegerField(label="Largest number allowed (optional)", required=False)
    show_if_key = forms.ChoiceField(
        label="Show this question only when an earlier question is answered (optional)",
        required=False,
    )
    show_if_values = forms.CharField(
        label="…with one of these answers",
        help_text="One answer per line, as written in that question's options.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Asked only when the wording of a question people have already answered changes.
    meaning = forms.ChoiceField(
        label="Does the new wording still ask the same thing?",
        choices=[
            ("same", "Yes – it asks the same thing in other words"),
            ("changed", "No – it now asks something different"),
        ],
        widget=forms.RadioSelect,
        required=False,
        help_text=(
            "If it asks the same thing, answers to the old and new wording are analysed "
            "together. If it asks something different, they are analysed apart."
        ),
    )

    def __init__(
        self,
        *args: Any,
        sections: list[Section],
        earlier: list[QuestionSpec],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.earlier = {s.key: s for s in earlier if s.choices()}
        cast(forms.ChoiceField, self.fields["section"]).choices = [
            (s.pk, s.title) for s in sections
        ]
        cast(forms.ChoiceField, self.fields["show_if_key"]).choices = [("", "Always show it")] + [
            (s.key, s.text) for s in self.earlier.values()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        options = questionnaire.parse_options(data.get("options") or "")
        if kind in questionnaire.KINDS_WITH_OPTIONS and len(options) < 2:
            self.add_error("options", "Enter at least two options, one per line")
        data["options_list"] = (
            [list(o) for o in options] if kind in questionnaire.KINDS_WITH_OPTIONS else []
        )
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", "The largest number must be more than the smallest")
        key = data.get("show_if_key") or ""
        values: list[str] = []
        if key:
            trigger = self.earlier.get(key)
            wanted = [
                v.strip() for v in (data.get("show_if_values") or "").splitlines() if v.strip()
            ]
            if trigger is None:
                self.add_error("show_if_key", "Choose an earlier question")
            elif not wanted:
                self.add_error("show_if_values", "Enter the answers that show this question")
            else:
                lookup = {}
                for value, label in trigger.choices():
                    lookup[value.lower()] = value
                    lookup[label.lower()] = value
                unknown = [w for w in wanted if w.lower() not in lookup]
                if unknown:
                    offered = ", ".join(label for _, label in trigger.choices())
                    self.add_error(
                        "show_if_values",
                        f"“{unknown[0]}” is not an answer to that question. It offers: {offered}",
                    )
                values = [lookup[w.lower()] for w in wanted if w.lower() in lookup]
        data["show_if_list"] = values
        return data

    def model_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        kind = d["kind"]
        return {
            "kind": kind,
            "text": d["text"],
            "hint": d.get("hint") or "",
            "required": bool(d.get("required")) and kind != questionnaire.EQUALITY,
            "options": d["options_list"],
            "max_length": d.get("max_length") if kind == questionnaire.LONG_TEXT else None,
            "min_value": d.get("min_value") if kind == questionnaire.NUMBER else None,
            "max_value": d.get("max_value") if kind == questionnaire.NUMBER else None,
            "show_if_key": d.get("show_if_key") or "",
            "show_if_values": d["show_if_list"],
        }

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        labels = {str(v): str(label) for v, label in question.options or []}
        return {
            "section": question.section_id,
            "kind": question.kind,
            "text": question.text,
            "hint": question.hint,
            "required": question.required,
            "options": "\n".join(str(label) for _, label in question.options or []),
            "max_length": question.max_length,
            "min_value": question.min_value,
            "max_value": question.max_value,
            "show_if_key": question.show_if_key,
            "show_if_values": "\n".join(labels.get(v, v) for v in question.show_if_values or []),
        }


ENTRY_CHANNELS = [
    (Response.Channel.PAPER, "Paper form"),
    (Response.Channel.PHONE, "Phone call"),
    (Response.Channel.EVENT, "At an event"),
    (Response.Channel.EMAIL, "Email or letter"),
]


class EntryForm(forms.Form):
    """How and when a response typed in by staff reached us (the answers come separately)."""

    channel = forms.ChoiceField(
        label="How did the response reach us?",
        choices=ENTRY_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the response reached us"},
    )
    received_on = NHSDateField(
        label="Date received",
        error_messages={"required": "Enter the date the response was received"},
    )
    publish_consent = forms.BooleanField(
        label="The respondent agreed to their response being published anonymously",
        required=False,
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet of responses",
        help_text="A CSV (.csv) or Excel (.xlsx) file with one response per row and a header row.",
        error_messages={"required": "Choose a CSV or Excel file to import"},
    )


def mapping_choices(specs: list[QuestionSpec]) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = [
        (MAP_IGNORE, "Do not import this column"),
        (MAP_SOURCE_ID, "Form or row reference (used to spot duplicates)"),
        (MAP_RECEIVED, "Date received"),
        (MAP_CHANNEL, "How it reached us (paper, phone, event, email)"),
        (MAP_CONSENT, "Agreed to publication (yes/no)"),
    ]
    for s in specs:
        if s.kind == questionnaire.EQUALITY:
            for key, (text, _) in questionnaire.EQUALITY_QUESTIONS.items():
                choices.append((f"eq_{key}", f"About you: {text[:60]}"))
            continue
        choices.append((s.key, s.text[:90]))
        if s.kind == questionnaire.RESPONDENT_TYPE:
            choices.append((questionnaire.organisation_key(s.key), "Organisation name"))
    return choices


def guess_target(column: str, choices: list[tuple[str, str]]) -> str:
    """The likely target of a column from its header (exact key or question text, any case)."""
    low = " ".join(column.lower().split())
    for value, label in choices:
        if value and (low == value.lower() or low == label.lower()):
            return value
    aliases = {
        "reference": MAP_SOURCE_ID,
        "ref": MAP_SOURCE_ID,
        "form number": MAP_SOURCE_ID,
        "id": MAP_SOURCE_ID,
        "date": MAP_RECEIVED,
        "date received": MAP_RECEIVED,
        "received": MAP_RECEIVED,
        "channel": MAP_CHANNEL,
        "consent": MAP_CONSENT,
        "publish": MAP_CONSENT,
    }
    if low in aliases:
        return aliases[low]
    for value, label in choices:
        if value and len(low) > 6 and (low in label.lower() or label.lower().startswith(low)):
            return value
    return MAP_IGNORE


class ImportMappingForm(forms.Form):
    def __init__(
        self, *args: Any, header: list[str], specs: list[QuestionSpec], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = mapping_choices(specs)
        self.header = header
        for i, column in enumerate(header):
            self.fields[f"col_{i}"] = forms.ChoiceField(
                label=f"Column “{column}”",
                choices=choices,
                required=False,
                initial=guess_target(column, choices),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used: dict[str, int] = {}
        for i in range(len(self.header)):
            target = data.get(f"col_{i}") or ""
            if target and target in used:
                self.add_error(
                    f"col_{i}",
                    f"Two columns are matched to the same question (“{self.header[used[target]]}” "
                    "too). Match each question to one column only",
                )
            used.setdefault(target, i)
        if not any(data.get(f"col_{i}") for i in range(len(self.header))):
            raise forms.ValidationError("Match at least one column to a question")
        return data

    def mapping(self) -> dict[int, str]:
        return {
            i: self.cleaned_data.get(f"col_{i}") or ""
            for i in range(len(self.header))
            if self.cleaned_data.get(f"col_{i}")
        }
