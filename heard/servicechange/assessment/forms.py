"""Forms for the options appraisal, significance assessment and assurance pages."""

from typing import Any

from django import forms

from heard.core.forms import NHSDateField
from heard.servicechange.assessment import appraisal, documents, significance
from heard.servicechange.assessment.models import (
    AssuranceTest,
    Checkpoint,
    Criterion,
    Option,
    Panel,
)

DOCUMENT_HINT = "A PDF, Word (.docx) or OpenDocument (.odt) file, up to 10 MB"


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.Field:
    return NHSDateField(
        label=label,
        required=required,
        hint=help_text,
        error_messages={"required": f"Enter the date: {label.lower()}"},
    )


def clean_document(upload: Any) -> Any:
    """Refuse anything but a PDF, .docx or .odt under 10 MB whose bytes match its name."""
    if upload is None:
        return upload
    problem = documents.problem(upload)
    if problem:
        raise forms.ValidationError(problem)
    return upload


# ---------------------------------------------------------------------------------------
# Options appraisal
# ---------------------------------------------------------------------------------------


class OptionForm(forms.Form):
    title = forms.CharField(
        label="Option",
        max_length=200,
        error_messages={"required": "Enter a short name for the option"},
    )
    description = forms.CharField(
        label="What it would mean", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    estimated_cost = forms.CharField(
        label="Estimated cost (optional)",
        max_length=200,
        required=False,
        help_text="In words, for example “£1.2m capital, £300k a year”",
    )
    is_do_nothing = forms.BooleanField(
        label="This is the “do nothing” option (keep things as they are)", required=False
    )
    is_preferred = forms.BooleanField(label="This is the preferred option", required=False)
    set_aside = forms.BooleanField(
        label="Set this option aside",
        required=False,
        help_text="The reason is shown in the consultation document",
    )
    set_aside_reason = forms.CharField(
        label="Why it was set aside",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, proposal: Any, option: Option | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.option = option

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("set_aside") and not (data.get("set_aside_reason") or "").strip():
            self.add_error("set_aside_reason", "Give the reason for setting this option aside")
        if data.get("set_aside") and data.get("is_preferred"):
            self.add_error("set_aside", "The preferred option cannot be set aside")
        if data.get("is_do_nothing"):
            others = Option.objects.filter(proposal=self.proposal, is_do_nothing=True)
            if self.option is not None:
                others = others.exclude(pk=self.option.pk)
            if others.exists():
                self.add_error(
                    "is_do_nothing",
                    f"“{others.first()}” is already the “do nothing” option: there can be only one",
                )
        return data


class CriterionForm(forms.Form):
    name = forms.CharField(
        label="Criterion", max_length=200, error_messages={"required": "Enter the criterion"}
    )
    description = forms.CharField(
        label="What it means (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weight = forms.DecimalField(
        label="Weight",
        min_value=0,
        max_value=1000,
        max_digits=6,
        decimal_places=2,
        help_text="Relative importance, for example 30 (weights are scaled to add up to 100 %)",
        error_messages={
            "required": "Enter the weight",
            "invalid": "Enter the weight as a number, for example 30",
            "min_value": "The weight cannot be negative",
            "max_value": "Enter a weight of 1000 or less",
            "max_decimal_places": "Use at most 2 decimal places",
        },
    )

    @classmethod
    def for_criterion(cls, criterion: Criterion) -> "CriterionForm":
        return cls(
            initial={
                "name": criterion.name,
                "description": criterion.description,
                "weight": criterion.weight,
            }
        )


class WeightsAgreedForm(forms.Form):
    agreed_by = forms.CharField(
        label="Who agreed the criteria and weights",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: “Public reference group and clinical leads, joint workshop”",
        error_messages={"required": "Say who agreed the criteria and weights"},
    )
    agreed_on = _date("Date agreed")


class PanelForm(forms.Form):
    name = forms.CharField(
        label="Panel name",
        max_length=200,
        help_text="For example: Clinicians, Public reference group",
        error_messages={"required": "Enter the panel's name"},
    )
    description = forms.CharField(
        label="Who was on it (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    scored_on = _date("Date it scored the options (optional)", required=False)

    @classmethod
    def for_panel(cls, panel: Panel) -> "PanelForm":
        return cls(
            initial={
                "name": panel.name,
                "description": panel.description,
                "scored_on": panel.scored_on,
            }
        )


class ScoreGridForm(forms.Form):
    """One field per option × criterion; a blank cell is a missing score."""

    def __init__(
        self,
        *args: Any,
        options: list[Option],
        criteria: list[Criterion],
        current: dict[tuple[int, int], int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.options = options
        self.criteria = criteria
        low, high = appraisal.SCORE_MIN, appraisal.SCORE_MAX
        for option in options:
            for criterion in criteria:
                name = self.field_name(option.pk, criterion.pk)
                self.fields[name] = forms.IntegerField(
                    label=f"{option.title}: score for {criterion.name}",
                    required=False,
                    min_value=low,
                    max_value=high,
                    initial=current.get((option.pk, criterion.pk)),
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                    error_messages={
                        "invalid": f"{option.title}, {criterion.name}: enter a whole number "
                        f"from {low} to {high}",
                        "min_value": f"{option.title}, {criterion.name}: the lowest score is {low}",
                        "max_value": f"{option.title}, {criterion.name}: the highest score "
                        f"is {high}",
                    },
                )

    @staticmethod
    def field_name(option_id: int, criterion_id: int) -> str:
        return f"score_{option_id}_{criterion_id}"

    def rows(self) -> list[tuple[Option, list[forms.BoundField]]]:
        return [
            (o, [self[self.field_name(o.pk, c.pk)] for c in self.criteria]) for o in self.options
        ]

    def scores(self) -> dict[tuple[int, int], int | None]:
        return {
            (o.pk, c.pk): self.cleaned_data.get(self.field_name(o.pk, c.pk))
            for o in self.options
            for c in self.criteria
        }


# ---------------------------------------------------------------------------------------
# Significance
# ---------------------------------------------------------------------------------------


class SignificanceForm(forms.Form):
    """The four areas, each with impact, who is affected, how many and evidence."""

    summary = forms.CharField(
        label="Summary of the reasoning (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Written for the overview and scrutiny committee to read",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for area in significance.Area:
            label = significance.AREA_LABELS[area]
            self.fields[f"{area}_impact"] = forms.ChoiceField(
                label=f"{label}: impact",
                choices=significance.IMPACT_CHOICES,
                widget=forms.RadioSelect,
                help_text=significance.AREA_HINTS[area],
                error_messages={"required": f"{label}: choose the level of impact"},
            )
            self.fields[f"{area}_who_affected"] = forms.CharField(
                label=f"{label}: who is affected",
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": f"{label}: say who is affected"},
            )
            self.fields[f"{area}_how_many"] = forms.IntegerField(
                label=f"{label}: about how many people (optional)",
                required=False,
                min_value=0,
                error_messages={
                    "invalid": f"{label}: enter the number of people as a whole number",
                    "min_value": f"{label}: the number of people cannot be negative",
                },
            )
            self.fields[f"{area}_evidence"] = forms.CharField(
                label=f"{label}: evidence",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": f"{label}: give the evidence"},
            )

    def sections(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [
            (
                area.value,
                significance.AREA_LABELS[area],
                [
                    self[f"{area}_{part}"]
                    for part in ("impact", "who_affected", "how_many", "evidence")
                ],
            )
            for area in significance.Area
        ]

    def areas(self) -> dict[str, dict[str, Any]]:
        d = self.cleaned_data
        return {
            area.value: {
                "impact": d[f"{area}_impact"],
                "who_affected": d[f"{area}_who_affected"],
                "how_many": d.get(f"{area}_how_many"),
                "evidence": d[f"{area}_evidence"],
            }
            for area in significance.Area
        }


YES_NO = [("yes", "Yes"), ("no", "No")]


class OverrideForm(forms.Form):
    consultation_required = forms.ChoiceField(
        label="Is formal consultation required?",
        choices=[
            ("yes", "Yes: formal consultation is required"),
            ("no", "No: formal consultation is not required"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether formal consultation is required"},
    )
    reason = forms.CharField(
        label="Reasons for the override",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shown wherever the determination is shown, including to the scrutiny committee",
        error_messages={"required": "Give the reasons for the override"},
    )


class UrgentPathForm(forms.Form):
    reason = forms.CharField(
        label="Why the change is urgent",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The risk to the safety or welfare of patients or staff",
        error_messages={"required": "Give the reason the change is urgent"},
    )
    notice_sent_on = _date("Date the council was told")
    notice_to = forms.CharField(
        label="Who was told",
        max_length=300,
        help_text="The council, its committee and the person",
        error_messages={"required": "Say who at the council was told"},
    )
    notice_text = forms.CharField(
        label="What they were told",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the text of the notice"},
    )


class ReconfigurationNoticeForm(forms.Form):
    notified_on = _date("Date the Secretary of State was notified")
    osc_view = forms.CharField(
        label="The overview and scrutiny committee's view",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the committee's view"},
    )


class CallInRequestForm(forms.Form):
    requested_on = _date("Date of the request")
    requested_by = forms.CharField(
        label="Who asked the Secretary of State to call the proposal in",
        max_length=300,
        help_text="For example, the council's health overview and scrutiny committee",
        error_messages={"required": "Say who made the request"},
    )
    grounds = forms.CharField(
        label="The grounds given",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the grounds for the request"},
    )


class CallInResponseForm(forms.Form):
    received_on = _date("Date the answer was received")
    outcome = forms.ChoiceField(
        label="What the Secretary of State decided",
        choices=[
            ("no_call_in", "Not called in"),
            ("called_in", "Called in"),
            ("directions", "Directions given (after a call-in)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the Secretary of State decided"},
    )
    text = forms.CharField(
        label="What the Secretary of State said",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Give what the Secretary of State said"},
    )


# ---------------------------------------------------------------------------------------
# Assurance
# ---------------------------------------------------------------------------------------


class BedClosuresForm(forms.Form):
    significant = forms.ChoiceField(
        label="Does the proposal involve significant bed closures?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="If so, it must also meet one of the patient care test's conditions",
        error_messages={"required": "Choose yes or no"},
    )


class AssuranceTestForm(forms.Form):
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Give the evidence for this test"},
    )
    condition = forms.ChoiceField(
        label="Which condition is met",
        choices=AssuranceTest.Condition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which of the three conditions is met"},
    )
    document = forms.FileField(
        label="Supporting document (optional)",
        required=False,
        help_text=DOCUMENT_HINT,
    )

    def __init__(self, *args: Any, test: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if test != AssuranceTest.Test.PATIENT_CARE:
            del self.fields["condition"]

    def clean_document(self) -> Any:
        return clean_document(self.cleaned_data.get("document"))


class CheckpointForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Checkpoint.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    held_on = _date("Date of the checkpoint")
    conditions = forms.CharField(
        label="Conditions (if passed with conditions)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("outcome") == Checkpoint.Outcome.PASSED_WITH_CONDITIONS
            and not (data.get("conditions") or "").strip()
        ):
            self.add_error("conditions", "Give the conditions it passed with")
        return data


class EqiaForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        initial="Equality impact assessment",
        error_messages={"required": "Enter a title for the document"},
    )
    file = forms.FileField(
        label="Supporting document (optional)",
        required=False,
        help_text=DOCUMENT_HINT
        + ". The assessment itself is the table of characteristics, recorded on its own page",
        error_messages={"empty": "The file is empty: choose the EqIA document"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        return clean_document(upload) if upload else None


class EqiaReviewForm(forms.Form):
    notes = forms.CharField(
        label="What the review found",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Reviewed before the decision, with rigour and an open mind (Brown principles)",
        error_messages={"required": "Say what the review found"},
    )


class EqiaImpactsForm(forms.Form):
    """One impact, evidence and mitigation per characteristic (heard.servicechange.assessment.eqia)."""

    def __init__(self, *args: Any, rows: dict[str, Any] | None = None, **kwargs: Any) -> None:
        from heard.servicechange.assessment import eqia as eqia_rules

        super().__init__(*args, **kwargs)
        rows = rows or {}
        for c in eqia_rules.Characteristic:
            label = eqia_rules.CHARACTERISTIC_LABELS[c]
            record = rows.get(c.value)
            optional = "" if c in eqia_rules.REQUIRED else " (where it applies)"
            self.fields[f"{c.value}-impact"] = forms.ChoiceField(
                label=f"{label}{optional}: likely impact",
                required=False,
                choices=[("", "Not yet considered")]
                + [(i.value, eqia_rules.IMPACT_LABELS[i]) for i in eqia_rules.Impact],
                initial=record.impact if record else "",
            )
            self.fields[f"{c.value}-evidence"] = forms.CharField(
                label=f"{label}: evidence",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=record.evidence if record else "",
            )
            self.fields[f"{c.value}-mitigation"] = forms.CharField(
                label=f"{label}: mitigation (required where the impact is negative)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=record.mitigation if record else "",
            )

    def rows(self) -> dict[str, dict[str, str]]:
        from heard.servicechange.assessment import eqia as eqia_rules

        return {
            c.value: {
                part: self.cleaned_data.get(f"{c.value}-{part}") or ""
                for part in ("impact", "evidence", "mitigation")
            }
            for c in eqia_rules.Characteristic
        }


class DueRegardForm(forms.Form):
    statement = forms.CharField(
        label="The regard you had to the equality impact assessment",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "In your own words, as a decision maker: what you read in the EqIA as reviewed "
            "after the consultation, and how the impacts on people with protected "
            "characteristics weigh in your decision. Recorded once, under your name."
        ),
        error_messages={"required": "Say what regard you had to the EqIA"},
    )
