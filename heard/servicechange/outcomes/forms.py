"""Forms for theme responses, the report's text, issuing the report and the decision."""

from django import forms

from heard.core.forms import NHSDateField, NHSFormMixin
from heard.servicechange.outcomes import domain


class ThemeResponseForm(forms.Form):
    heard = forms.CharField(
        label="What we heard (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In our words. The counts and quotes are added from the analysis.",
    )
    response = forms.CharField(
        label="Our response",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write our response to this theme."},
    )
    changed = forms.ChoiceField(
        label="Did it change the recommendation?",
        choices=[(c.value, domain.CHANGED_LABELS[c]) for c in domain.Changed],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether it changed the recommendation: yes, partly or no."
        },
    )
    how = forms.CharField(
        label="How it changed the recommendation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when the answer is yes or partly.",
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (
            data.get("changed") in (domain.Changed.YES, domain.Changed.PARTLY)
            and not str(data.get("how", "")).strip()
        ):
            self.add_error("how", "Say how it changed the recommendation.")
        return data


class OutcomeTextForm(forms.Form):
    summary = forms.CharField(
        label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    why = forms.CharField(
        label="What we consulted on and why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    next_steps = forms.CharField(
        label="Next steps", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class IssueForm(forms.Form):
    issued_to = forms.CharField(
        label="Issued to",
        max_length=300,
        help_text="The decision makers, e.g. “ICB board members (meeting of 14 July)”.",
        error_messages={"required": "Say who the report is issued to (the decision makers)."},
    )
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(NHSFormMixin, forms.Form):
    decided_on = NHSDateField(
        label="Date of the decision",
        error_messages={"required": "Give the date of the decision."},
    )
    decided_by = forms.CharField(
        label="Who decided",
        max_length=300,
        help_text="For example, “NHS Example ICB board, in public session”.",
        error_messages={"required": "Say who decided (for example, the ICB board)."},
    )
    decision = forms.CharField(
        label="What was decided",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what was decided."},
    )
    board_paper_url = forms.URLField(
        label="Board paper web address",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the board paper's full web address."},
    )
    board_paper_file = forms.FileField(
        label="Or upload the board paper", required=False, help_text="PDF, up to 20 MB."
    )

    def clean_board_paper_file(self) -> object:
        upload = self.cleaned_data.get("board_paper_file")
        if upload and upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("The board paper must be 20 MB or smaller.")
        return upload


class ReasonForm(forms.Form):
    """A reason for reopening an issued report or rejecting a publication."""

    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason."},
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data.get("reason", ""))
        if domain.is_placeholder(reason):
            raise forms.ValidationError(
                "Give the reason in a few words (not a placeholder such as \u201cx\u201d or \u201cn/a\u201d)."
            )
        return reason.strip()


class LateResponseForm(forms.Form):
    """Why a response received after the close is not taken into account."""

    reference = forms.CharField(
        label="Response reference",
        max_length=20,
        help_text="As on the receipt or the response's page, for example P0001234",
        error_messages={"required": "Give the response's reference."},
    )
    reason = forms.CharField(
        label="Why it is not taken into account",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "A reason a reader could follow: for example, it arrived after the analysis was "
            "signed off and repeats points already considered (say which)"
        ),
        error_messages={"required": "Give the reason."},
    )
