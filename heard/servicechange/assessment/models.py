"""Options appraisal, significance and assurance for a proposal for service change.

The rules are in Django-free modules: ``appraisal.py`` (weighted scores, ranking,
sensitivity) and ``significance.py`` (the determination). These models hold what staff
record; ``services.py`` writes them (audited), ``selectors.py`` reads them.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from heard.servicechange.assessment import appraisal, significance
from heard.servicechange.assessment import eqia as eqia_rules
from heard.servicechange.proposals.models import Proposal

# ---------------------------------------------------------------------------------------
# Options and co-produced option appraisal
# ---------------------------------------------------------------------------------------


class Option(models.Model):
    """One way of meeting the case for change, including doing nothing."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_do_nothing = models.BooleanField(
        default=False, help_text="The option of keeping things as they are"
    )
    is_preferred = models.BooleanField(default=False)
    estimated_cost = models.CharField(
        max_length=200, blank=True, help_text="In words, for example “£1.2m capital, £300k a year”"
    )
    set_aside = models.BooleanField(default=False)
    set_aside_reason = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("position", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=models.Q(is_do_nothing=True),
                name="assessment_one_do_nothing_option",
            ),
            models.UniqueConstraint(
                fields=["proposal"],
                condition=models.Q(is_preferred=True),
                name="assessment_one_preferred_option",
            ),
            models.CheckConstraint(
                condition=models.Q(set_aside=False) | ~models.Q(set_aside_reason=""),
                name="assessment_set_aside_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Appraisal(models.Model):
    """How the criteria weights were agreed with stakeholders (one per proposal)."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="appraisal")
    weights_agreed_by = models.TextField(
        blank=True, help_text="Who agreed the criteria and weights, for example the meeting"
    )
    weights_agreed_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Appraisal of {self.proposal}"


class Criterion(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="Relative importance; weights are scaled to add up to 100 %",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=0), name="assessment_weight_gte_0"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Panel(models.Model):
    """A group that scores every option on every criterion (clinicians, a public
    reference group…)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Who was on it, how they met")
    scored_on = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="scores")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(
        validators=[
            MinValueValidator(appraisal.SCORE_MIN),
            MaxValueValidator(appraisal.SCORE_MAX),
        ]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "option", "criterion"], name="assessment_one_score_per_cell"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=appraisal.SCORE_MIN)
                & models.Q(value__lte=appraisal.SCORE_MAX),
                name="assessment_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel}: {self.option} / {self.criterion} = {self.value}"


# ---------------------------------------------------------------------------------------
# Significance assessment
# ---------------------------------------------------------------------------------------


class SignificanceAssessment(models.Model):
    """Whether the proposal is a substantial development or variation (domain.md §4)."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="significance")
    summary = models.TextField(blank=True, help_text="The assessor's reasoning, in plain English")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(default=timezone.now)
    # A reasoned override of the determination by an authorised role.
    override_required = models.BooleanField(
        null=True, blank=True, help_text="None: no override; else the overriding answer"
    )
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Significance of {self.proposal}"


class SignificanceArea(models.Model):
    assessment = models.ForeignKey(
        SignificanceAssessment, on_delete=models.CASCADE, related_name="areas"
    )
    area = models.CharField(max_length=32, choices=significance.AREA_CHOICES)
    impact = models.CharField(max_length=16, choices=significance.IMPACT_CHOICES)
    who_affected = models.TextField()
    how_many = models.PositiveIntegerField(null=True, blank=True)
    evidence = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "area"], name="assessment_one_row_per_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.impact}"

    @property
    def area_label(self) -> str:
        return significance.AREA_LABELS[significance.Area(self.area)]

    @property
    def impact_label(self) -> str:
        return significance.IMPACT_LABELS[significance.Impact(self.impact)]


class UrgentPath(models.Model):
    """The urgent-safety exception: consultation skipped, the council told at once."""

    assessment = models.OneToOneField(
        SignificanceAssessment, on_delete=models.CASCADE, related_name="urgent"
    )
    reason = models.TextField(help_text="The risk to the safety or welfare of patients or staff")
    notice_sent_on = models.DateField()
    notice_to = models.CharField(max_length=300, help_text="The council and the person told")
    notice_text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Urgent path for {self.assessment.proposal}"


class ReconfigurationNotice(models.Model):
    """A notifiable reconfiguration told to the Secretary of State, with the OSC's view."""

    assessment = models.OneToOneField(
        SignificanceAssessment, on_delete=models.CASCADE, related_name="notice"
    )
    notified_on = models.DateField()
    osc_view = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Notice to the Secretary of State for {self.assessment.proposal}"


# ---------------------------------------------------------------------------------------
# Assurance (domain.md §5) and the EqIA (§8)
# ---------------------------------------------------------------------------------------


class AssuranceTest(models.Model):
    class Test(models.TextChoices):
        ENGAGEMENT = "engagement", "Strong public and patient engagement"
        PATIENT_CHOICE = (
            "patient_choice",
            "Consistency with current and prospective need for patient choice",
        )
        CLINICAL_EVIDENCE = "clinical_evidence", "A clear clinical evidence base"
        COMMISSIONER_SUPPORT = "commissioner_support", "Support from clinical commissioners"
        PATIENT_CARE = "patient_care", "Patient care test (significant bed closures)"

    class Condition(models.TextChoices):
        ALTERNATIVE_PROVISION = (
            "alternative_provision",
            "Sufficient alternative provision, such as increased GP or community services, "
            "is in place alongside or ahead of the bed closures, with the workforce to staff it",
        )
        NEW_TREATMENTS = (
            "new_treatments",
            "Specific new treatments or therapies will reduce specific categories of admissions",
        )
        BED_EFFICIENCY = (
            "bed_efficiency",
            "Where a hospital has been using beds less efficiently than the national average, "
            "it has a credible plan to improve performance without affecting patient care",
        )

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assurance_tests")
    test = models.CharField(max_length=32, choices=Test.choices)
    evidence = models.TextField()
    document = models.FileField(upload_to="assessment/evidence/", blank=True)
    condition = models.CharField(
        max_length=32, choices=Condition.choices, blank=True, help_text="Patient care test only"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "test"], name="assessment_one_row_per_test")
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.test}"


class AssuranceSettings(models.Model):
    """Per-proposal assurance facts that are not tests (one per proposal)."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="assurance_settings"
    )
    # None until someone answers: never assumed to be "no" (domain.md §5).
    significant_bed_closures = models.BooleanField(null=True, default=None)

    def __str__(self) -> str:
        return f"Assurance settings for {self.proposal}"


class Checkpoint(models.Model):
    """An NHS England assurance checkpoint outcome; the latest per stage counts."""

    class Stage(models.IntegerChoices):
        STRATEGIC_SENSE_CHECK = 1, "Stage 1: strategic sense check"
        ASSURANCE_CHECKPOINT = 2, "Stage 2: assurance checkpoint"

    class Outcome(models.TextChoices):
        PASSED = "passed", "Passed"
        PASSED_WITH_CONDITIONS = "passed_with_conditions", "Passed with conditions"
        NOT_PASSED = "not_passed", "Not passed"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="checkpoints")
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    held_on = models.DateField()
    conditions = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("stage", "-held_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="passed_with_conditions") | ~models.Q(conditions=""),
                name="assessment_conditions_recorded",
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: stage {self.stage} {self.outcome}"

    @property
    def passed(self) -> bool:
        return self.outcome in (self.Outcome.PASSED, self.Outcome.PASSED_WITH_CONDITIONS)


class EqualityImpactAssessment(models.Model):
    """The EqIA: attached before consultation, reviewed before the decision."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="eqia")
    title = models.CharField(max_length=200)
    # The supporting document (optional): the assessment itself is the rows of
    # ``impacts``, one per characteristic considered.
    file = models.FileField(upload_to="assessment/eqia/", blank=True)
    attached_at = models.DateTimeField(default=timezone.now)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_notes = models.TextField(blank=True)

    class Meta:
        verbose_name = "equality impact assessment"

    def __str__(self) -> str:
        return self.title

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse("assessment:eqia_download", kwargs={"pk": self.proposal_id})


class EqualityImpact(models.Model):
    """What the EqIA says about one protected characteristic (or one of the ICB's
    additions): the evidence, the likely impact and, where it is negative, the mitigation.
    Frozen once the consultation opens, as what people were consulted on."""

    eqia = models.ForeignKey(
        EqualityImpactAssessment, on_delete=models.CASCADE, related_name="impacts"
    )
    characteristic = models.CharField(
        max_length=32,
        choices=[(c.value, eqia_rules.CHARACTERISTIC_LABELS[c]) for c in eqia_rules.Characteristic],
    )
    impact = models.CharField(
        max_length=16, choices=[(i.value, eqia_rules.IMPACT_LABELS[i]) for i in eqia_rules.Impact]
    )
    evidence = models.TextField()
    mitigation = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["eqia", "characteristic"], name="assessment_eqia_one_row_per_characteristic"
            )
        ]

    def __str__(self) -> str:
        return f"{self.characteristic}: {self.impact}"

    @property
    def characteristic_label(self) -> str:
        return eqia_rules.CHARACTERISTIC_LABELS[eqia_rules.Characteristic(self.characteristic)]

    @property
    def impact_label(self) -> str:
        return eqia_rules.IMPACT_LABELS[eqia_rules.Impact(self.impact)]

    def row(self) -> eqia_rules.Row:
        return eqia_rules.Row(self.characteristic, self.impact, self.evidence, self.mitigation)


class DueRegard(models.Model):
    """A decision maker's own record that they read the EqIA (as reviewed after the
    consultation) and the regard they had to it, before the decision (Brown principles:
    not delegated, in substance, before and at the time). Written once."""

    eqia = models.ForeignKey(
        EqualityImpactAssessment, on_delete=models.PROTECT, related_name="due_regard"
    )
    decision_maker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The review of the EqIA the statement was made on (a new review asks again).
    reviewed_at = models.DateTimeField()
    statement = models.TextField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("recorded_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["eqia", "decision_maker", "reviewed_at"],
                name="assessment_due_regard_once_per_review",
            )
        ]

    def __str__(self) -> str:
        return f"Due regard by {self.decision_maker_id} on {self.eqia}"


class CallInRequest(models.Model):
    """A request to the Secretary of State to call in a notifiable reconfiguration (NHS Act
    2006 Sch. 10A, as inserted by the Health and Care Act 2022; SI 2024/15–16): who asked,
    when and on what grounds. The decision is held while it waits for an answer."""

    assessment = models.ForeignKey(
        SignificanceAssessment, on_delete=models.CASCADE, related_name="call_in_requests"
    )
    requested_on = models.DateField()
    requested_by = models.CharField(
        max_length=300, help_text="Who asked, for example the council's scrutiny committee"
    )
    grounds = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("requested_on", "pk")

    def __str__(self) -> str:
        return f"Call-in request – {self.requested_by}"


class CallInResponse(models.Model):
    """The Secretary of State's answer to a call-in request: not called in, called in, or
    (after a call-in) directions."""

    class Outcome(models.TextChoices):
        NO_CALL_IN = "no_call_in", "Not called in"
        CALLED_IN = "called_in", "Called in"
        DIRECTIONS = "directions", "Directions given"

    request = models.ForeignKey(CallInRequest, on_delete=models.CASCADE, related_name="responses")
    received_on = models.DateField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("received_on", "pk")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.received_on})"
