"""Forms for the codeframe editor and the review queue (messages say what to do)."""

from typing import Any

from django import forms

from heard.analysis.models import Theme


class ThemeForm(forms.Form):
    name = forms.CharField(
        label="Theme name",
        max_length=120,
        error_messages={
            "required": "Enter a name for the theme.",
            "max_length": "Theme names must be 120 characters or fewer.",
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What responses in this theme are about, for people coding them.",
    )


class _ThemeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ThemeAddForm(ThemeForm):
    parent = _ThemeChoice(
        label="Sub-theme of (optional)",
        queryset=Theme.objects.none(),
        required=False,
        empty_label="None – a main theme",
    )

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = themes  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    target = _ThemeChoice(
        label="Merge into",
        queryset=Theme.objects.none(),
        empty_label="Choose a theme",
        error_messages={"required": "Choose the theme to merge this one into."},
    )

    def __init__(self, *args: Any, theme: Theme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (  # type: ignore[attr-defined]
            Theme.objects.filter(codeframe=theme.codeframe).exclude(pk=theme.pk).order_by("name")
        )


class SplitForm(forms.Form):
    name = forms.CharField(
        label="Name of the new sub-theme",
        max_length=120,
        error_messages={"required": "Enter a name for the new sub-theme."},
    )
    answers = forms.MultipleChoiceField(
        label="Responses to move to the new sub-theme",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one response to move to the new sub-theme."},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answers"].choices = choices  # type: ignore[attr-defined]


class DeleteForm(forms.Form):
    what = forms.ChoiceField(
        label="What should happen to the responses coded with this theme?",
        widget=forms.RadioSelect,
        choices=[
            ("remove", "Remove the theme from them (their codings are deleted)"),
            ("move", "Move them to another theme"),
        ],
        error_messages={"required": "Choose what should happen to the responses in this theme."},
    )
    move_to = _ThemeChoice(
        label="Theme to move them to",
        queryset=Theme.objects.none(),
        required=False,
        empty_label="Choose a theme",
    )

    def __init__(self, *args: Any, theme: Theme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["move_to"].queryset = (  # type: ignore[attr-defined]
            Theme.objects.filter(codeframe=theme.codeframe).exclude(pk=theme.pk).order_by("name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("what") == "move" and not data.get("move_to"):
            self.add_error("move_to", "Choose the theme to move the responses to.")
        return data


class AddCodingForm(forms.Form):
    theme = _ThemeChoice(
        label="Add a theme by hand",
        queryset=Theme.objects.none(),
        empty_label="Choose a theme",
        error_messages={"required": "Choose a theme to add to this response."},
    )

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes  # type: ignore[attr-defined]


class SignOffForm(forms.Form):
    reason = forms.CharField(
        label="Why is a new version needed?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Only for a version after the first: say what changed and why, for the record "
            "(for example, “Merged the two parking themes after reviewing 200 more answers”)."
        ),
    )
