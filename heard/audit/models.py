"""The audit trail: append-only events in a SHA-256 hash chain.

Rows are never updated or deleted: the model refuses, and so do database triggers
(see migrations/0002_append_only_triggers.py). Write only through
``heard.audit.services.audit_record``.
"""

from typing import Any, ClassVar

from django.db import models


class Action(models.TextChoices):
    """Every kind of event the audit trail knows. Apps add their own here."""

    # Accounts and access
    USER_SIGNED_IN = "user.signed_in", "Signed in"
    USER_SIGN_IN_FAILED = "user.sign_in_failed", "Sign-in failed"
    USER_SIGNED_OUT = "user.signed_out", "Signed out"
    USER_CREATED = "user.created", "User created"
    USER_ROLE_CHANGED = "user.role_changed", "Role changed"
    USER_ACTIVATED = "user.activated", "Account switched on"
    USER_DEACTIVATED = "user.deactivated", "Account switched off"
    USER_PASSWORD_CHANGED = "user.password_changed", "Password changed"
    USER_PASSWORD_RESET = "user.password_reset", "Password reset"
    USER_TWO_FACTOR_ENABLED = "user.two_factor_enabled", "Two-factor authentication set up"
    USER_TWO_FACTOR_DISABLED = "user.two_factor_disabled", "Two-factor authentication removed"
    USER_SSO_LINKED = "user.sso_linked", "Single sign-on linked to the account"
    # The rules an administrator sets (heard.accounts: thresholds, pre-election periods)
    RULES_CHANGED = "rules.changed", "Rules changed"
    PRE_ELECTION_PERIOD_ADDED = "rules.pre_election_period_added", "Pre-election period added"
    PRE_ELECTION_PERIOD_REMOVED = (
        "rules.pre_election_period_removed",
        "Pre-election period removed",
    )
    # People and communities
    MEMBER_CREATED = "member.created", "Member created"
    MEMBER_UPDATED = "member.updated", "Member details changed"
    MEMBER_VERIFIED = "member.verified", "Member email confirmed"
    MEMBER_SIGNED_IN = "member.signed_in", "Member signed in"
    MEMBER_ERASED = "member.erased", "Member erased"
    MEMBER_UNSUBSCRIBED = "member.unsubscribed", "Member unsubscribed"
    MEMBER_DATA_DOWNLOADED = "member.data_downloaded", "Member downloaded their data"
    CONSENT_GIVEN = "consent.given", "Consent given"
    CONSENT_WITHDRAWN = "consent.withdrawn", "Consent withdrawn"
    EQUALITY_UPDATED = "equality.updated", "Equality monitoring answers changed"
    GROUP_CREATED = "group.created", "Group created"
    GROUP_UPDATED = "group.updated", "Group changed"
    GROUP_MEMBER_ADDED = "group.member_added", "Added to a group"
    GROUP_MEMBER_REMOVED = "group.member_removed", "Removed from a group"
    IMPORT_UPLOADED = "import.uploaded", "Import file uploaded"
    IMPORT_STARTED = "import.started", "Import started"
    IMPORT_COMPLETED = "import.completed", "Import completed"
    IMPORT_FAILED = "import.failed", "Import failed"
    IMPORT_REJECTED_DOWNLOADED = "import.rejected_downloaded", "Rejected import rows downloaded"
    IMPORT_PURGED = "import.purged", "Import file and rejected rows deleted"
    IMPORT_CANCELLED = "import.cancelled", "Import stopped"
    IMPORT_RESUMED = "import.resumed", "Import resumed"
    IMPORT_DELETED = "import.deleted", "Import removed with the people it added"
    IMPORT_FILES_CLEANED = "import.files_cleaned", "Old import files and rejected rows deleted"
    OPPORTUNITY_CREATED = "opportunity.created", "Involvement opportunity created"
    OPPORTUNITY_UPDATED = "opportunity.updated", "Involvement opportunity changed"
    INVITATIONS_SENT = "invitation.sent", "Invitations sent"
    INVITATION_ANSWERED = "invitation.answered", "Invitation accepted or declined"
    INVITATION_REMINDED = "invitation.reminded", "Invitation reminder sent"
    INVITATION_WITHDRAWN = "invitation.withdrawn", "Invitation withdrawn"
    SAMPLE_DRAWN = "sample.drawn", "Representative sample drawn"
    OPPORTUNITY_STATUS_CHANGED = (
        "opportunity.status_changed",
        "Involvement opportunity opened or closed",
    )
    POPULATION_UPLOADED = "population.uploaded", "Reference population uploaded"
    RETENTION_RUN = "retention.run", "Retention rules run"
    RETENTION_RULE_CHANGED = "retention.rule_changed", "Retention rule changed"
    # Engagement activities
    ACTIVITY_CREATED = "activity.created", "Activity created"
    ACTIVITY_UPDATED = "activity.updated", "Activity changed"
    ACTIVITY_TRANSITIONED = "activity.transitioned", "Activity status changed"
    # Questionnaires and responses
    QUESTIONNAIRE_CREATED = "questionnaire.created", "Questionnaire created"
    QUESTIONNAIRE_CHANGED = "questionnaire.changed", "Questionnaire changed"
    QUESTIONNAIRE_VERSIONED = "questionnaire.versioned", "New questionnaire version made"
    RESPONSE_SUBMITTED = "response.submitted", "Response received"
    RESPONSE_ENTERED = "response.entered", "Response entered by staff"
    RESPONSES_IMPORTED = "response.imported", "Responses imported"
    RESPONSE_IMPORT_STARTED = "response_import.started", "Response import started"
    RESPONSE_IMPORT_FAILED = "response_import.failed", "Response import failed"
    RESPONSE_IMPORT_CANCELLED = "response_import.cancelled", "Response import stopped"
    RESPONSE_IMPORT_DELETED = (
        "response_import.deleted",
        "Response import removed with its responses",
    )
    RESPONSE_DRAFT_SAVED = "response.draft_saved", "Response saved to finish later"
    RESPONSE_ERASED = "response.erased", "Response's personal words erased (by reference)"
    RESPONSES_DEMO_LOADED = "response.demo_loaded", "Demo responses loaded"
    # The insight bank
    INSIGHT_IMPORT_UPLOADED = "insight_import.uploaded", "Insight import uploaded"
    INSIGHT_IMPORT_COMPLETED = "insight_import.completed", "Insight import completed"
    INSIGHT_IMPORT_FAILED = "insight_import.failed", "Insight import failed"
    INSIGHT_IMPORT_CANCELLED = "insight_import.cancelled", "Insight import stopped"
    INSIGHT_IMPORT_DELETED = "insight_import.deleted", "Insight import removed with its insights"
    INSIGHT_IMPORT_REJECTED_DOWNLOADED = (
        "insight_import.rejected_downloaded",
        "Rejected insight rows downloaded",
    )
    SAVED_SEARCH_SAVED = "saved_search.saved", "Insight search saved"
    SAVED_SEARCH_DELETED = "saved_search.deleted", "Saved insight search deleted"
    INSIGHT_DEMO_LOADED = "insight.demo_loaded", "Demo insights loaded"
    INSIGHT_DELETED = "insight.deleted", "Insight deleted"
    # Analysis of responses (heard.analysis): runs, codeframe changes, coding decisions
    ANALYSIS_RUN_STARTED = "analysis_run.started", "Analysis run started"
    ANALYSIS_RUN_COMPLETED = "analysis_run.completed", "Analysis run finished (machine coding)"
    ANALYSIS_RUN_FAILED = "analysis_run.failed", "Analysis run failed"
    CODEFRAME_CHANGED = "codeframe.changed", "Codeframe theme renamed or described"
    THEME_ADDED = "theme.added", "Codeframe theme added"
    THEME_MERGED = "theme.merged", "Codeframe themes merged"
    THEME_SPLIT = "theme.split", "Codeframe theme split"
    THEME_DELETED = "theme.deleted", "Codeframe theme deleted"
    CODEFRAME_SIGNED_OFF = "codeframe.signed_off", "Codeframe version signed off"
    CODING_ACCEPTED = "coding.accepted", "Suggested theme accepted"
    CODING_REJECTED = "coding.rejected", "Suggested theme rejected"
    CODING_ADDED = "coding.added", "Theme coded by hand"
    CODING_REVIEWED = "coding.reviewed", "Answer marked as reviewed"
    # Proposals for service change (heard.servicechange.proposals)
    PROPOSAL_CREATED = "proposal.created", "Proposal logged"
    PROPOSAL_UPDATED = "proposal.updated", "Proposal changed"
    PROPOSAL_TRANSITIONED = "proposal.transitioned", "Proposal moved on"
    PROPOSAL_PRIVACY_CHANGED = "proposal.privacy_changed", "Proposal made private or public"
    PROPOSAL_EVIDENCE_RECORDED = "proposal.evidence_recorded", "What a proposal drew on recorded"
    PROPOSAL_EVIDENCE_REMOVED = "proposal.evidence_removed", "What a proposal drew on removed"
    PROPOSAL_ACTIVITY_LINKED = "proposal.activity_linked", "Activity linked to a proposal"
    PROPOSAL_ACTIVITY_UNLINKED = "proposal.activity_unlinked", "Activity unlinked from a proposal"
    PROPOSAL_PLAN_CHANGED = "proposal.plan_changed", "Engagement plan changed"
    PROPOSAL_PLAN_ITEM_ADDED = "proposal.plan_item_added", "Engagement plan line added"
    PROPOSAL_PLAN_ITEM_CHANGED = "proposal.plan_item_changed", "Engagement plan line changed"
    PROPOSAL_PLAN_ITEM_REMOVED = "proposal.plan_item_removed", "Engagement plan line removed"
    # end of proposals actions
    # Standing groups (heard.groups)
    STANDING_GROUP_SET_UP = "group.set_up", "Group set up to be run (meetings, minutes)"
    STANDING_GROUP_CHANGED = "group.changed", "Group's public page settings changed"
    GROUP_TERMS_AGREED = "group.terms_of_reference", "Group terms of reference recorded"
    GROUP_TERM_ADDED = "group.term_added", "Group membership term added"
    GROUP_TERM_ENDED = "group.term_ended", "Group membership term ended"
    GROUP_MEETING_SAVED = "group.meeting_saved", "Group meeting arranged or changed"
    GROUP_MEETING_CANCELLED = "group.meeting_cancelled", "Group meeting cancelled"
    GROUP_AGENDA_ITEM_ADDED = "group.agenda_item_added", "Agenda item added"
    GROUP_PAPER_UPLOADED = "group.paper_uploaded", "Meeting paper uploaded"
    GROUP_PAPER_REMOVED = "group.paper_removed", "Meeting paper removed"
    GROUP_PAPER_DOWNLOADED = "group.paper_downloaded", "Meeting paper downloaded"
    GROUP_ATTENDANCE_TAKEN = "group.attendance", "Meeting attendance recorded"
    GROUP_MINUTES_DRAFTED = "group.minutes_drafted", "Minutes drafted or changed"
    GROUP_MINUTES_APPROVED = "group.minutes_approved", "Minutes approved"
    GROUP_MINUTES_CORRECTED = "group.minutes_corrected", "Correction to approved minutes started"
    GROUP_MINUTES_PUBLISHED = "group.minutes_published", "Minutes published"
    GROUP_HEARD_ADDED = "group.heard_added", "What the group said recorded"
    GROUP_DECISION_RECORDED = "group.decision", "Group decision recorded"
    GROUP_ACTION_RECORDED = "group.action", "Group action recorded"
    GROUP_ACTION_DONE = "group.action_done", "Group action marked done"
    # end of standing groups actions
    # Options appraisal, significance, assurance (heard.servicechange.assessment)
    OPTION_SAVED = "option.saved", "Option added or changed"
    OPTION_SET_ASIDE = "option.set_aside", "Option set aside or brought back"
    CRITERION_SAVED = "criterion.saved", "Appraisal criterion or weight changed"
    CRITERION_REMOVED = "criterion.removed", "Appraisal criterion removed, with its scores"
    WEIGHTS_AGREED = "appraisal.weights_agreed", "Appraisal weights agreement recorded"
    PANEL_SAVED = "panel.saved", "Appraisal panel added or changed"
    PANEL_REMOVED = "panel.removed", "Appraisal panel removed, with its scores"
    SCORES_SAVED = "scores.saved", "Appraisal panel scores saved"
    SIGNIFICANCE_ASSESSED = "significance.assessed", "Significance assessment recorded"
    SIGNIFICANCE_OVERRIDDEN = "significance.overridden", "Significance determination overridden"
    URGENT_PATH_RECORDED = "significance.urgent_path", "Urgent-safety path recorded"
    RECONFIGURATION_NOTIFIED = (
        "significance.reconfiguration_notified",
        "Notifiable reconfiguration: Secretary of State notice recorded",
    )
    ASSURANCE_TEST_SAVED = "assurance.test_saved", "Assurance test evidence recorded"
    ASSURANCE_BEDS_SAVED = "assurance.bed_closures", "Significant bed closures answer recorded"
    CHECKPOINT_RECORDED = "assurance.checkpoint", "Assurance checkpoint outcome recorded"
    EQIA_ATTACHED = "eqia.attached", "EqIA attached"
    EQIA_REVIEWED = "eqia.reviewed", "EqIA reviewed"
    EQIA_IMPACTS_SAVED = "eqia.impacts_saved", "EqIA impacts per characteristic recorded"
    EQIA_DUE_REGARD_RECORDED = (
        "eqia.due_regard",
        "Due regard to the EqIA recorded by a decision maker",
    )
    CALL_IN_REQUESTED = "significance.call_in_requested", "Call-in request recorded"
    CALL_IN_ANSWERED = (
        "significance.call_in_answered",
        "Secretary of State's answer to a call-in request recorded",
    )
    # end of assessment actions
    # Formal consultations (heard.servicechange.consultations)
    CONSULTATION_CREATED = "consultation.created", "Formal consultation created"
    CONSULTATION_UPDATED = "consultation.updated", "Formal consultation changed"
    CONSULTATION_SECTION_SAVED = "consultation.section_saved", "Consultation document section saved"
    CONSULTATION_DOCUMENT_PUBLISHED = (
        "consultation.document_published",
        "Consultation document published",
    )
    CONSULTATION_OPENED = "consultation.opened", "Formal consultation opened or scheduled"
    CONSULTATION_COUNCIL_ADDED = "consultation.council_added", "Council consulted added"
    CONSULTATION_COUNCIL_REMOVED = "consultation.council_removed", "Council consulted removed"
    CONSULTATION_OSC_CHANGED = "consultation.osc_changed", "Scrutiny dates changed and notified"
    CONSULTATION_OSC_LETTER_SENT = (
        "consultation.osc_letter_sent",
        "Letter sent to overview and scrutiny (reg. 23)",
    )
    CONSULTATION_OSC_RESPONSE_RECORDED = (
        "consultation.osc_response_recorded",
        "Overview and scrutiny committee's response recorded",
    )
    CONSULTATION_MAILOUT_QUEUED = "consultation.mailout_queued", "Consultation emails queued"
    CONSULTATION_MAILOUT_SENT = "consultation.mailout_sent", "Consultation emails sent"
    CONSULTATION_MIDPOINT_RECORDED = (
        "consultation.midpoint_recorded",
        "Mid-point review recorded",
    )
    CONSULTATION_SCOPE_AGREED = "consultation.scope_agreed", "Consultation scope agreed"
    CONSULTATION_DOCUMENTS_REVIEWED = (
        "consultation.documents_reviewed",
        "Consultation documents reviewed before opening",
    )
    # end of consultations actions
    # Conscientious consideration, decisions, outcome reports (heard.servicechange.outcomes)
    OUTCOME_UPDATED = "outcome.updated", "Outcome report text changed"
    THEME_RESPONSE_SAVED = "outcome.theme_response", "Response to a theme written"
    OUTCOME_REPORT_ISSUED = "outcome.report_issued", "Outcome report issued to decision makers"
    OUTCOME_REPORT_DOWNLOADED = "outcome.report_downloaded", "Outcome report PDF downloaded"
    DECISION_RECORDED = "decision.recorded", "Decision recorded"
    OUTCOME_REPORT_REOPENED = "outcome.report_reopened", "Issued outcome report reopened"
    PUBLICATION_SUBMITTED = "publication.submitted", "You said, we did: sent for approval"
    PUBLICATION_APPROVED = "publication.approved", "You said, we did: approved and published"
    PUBLICATION_REJECTED = "publication.rejected", "You said, we did: rejected"
    PUBLICATION_WITHDRAWN = "publication.withdrawn", "You said, we did: withdrawn"
    LATE_RESPONSE_SET_ASIDE = (
        "outcome.late_response_set_aside",
        "Late response not taken into account, with the reason",
    )
    # end of outcomes actions
    # Events: booking, waiting list, attendance (heard.events)
    EVENT_BOOKING_SETTINGS_CHANGED = "event.booking_settings", "Event capacity or booking changed"
    EVENT_BOOKED = "event.booked", "Place at an event booked or waiting list joined"
    EVENT_BOOKING_CANCELLED = "event.booking_cancelled", "Event booking cancelled"
    EVENT_PLACE_OFFERED = "event.place_given", "Freed place given to the next on the waiting list"
    EVENT_CANCELLED = "event.cancelled", "Event cancelled by the organiser"
    EVENT_ATTENDANCE_TAKEN = "event.attendance", "Event attendance recorded"
    EVENT_REMINDERS_SENT = "event.reminders_sent", "Event reminders sent"
    EVENT_ACCESS_NEEDS_ERASED = "event.access_needs_erased", "Access needs erased after the event"
    EVENT_BOOKINGS_ERASED = "event.bookings_erased", "Names and emails of bookers erased"
    EVENT_ACCESS_NEEDS_VIEWED = "event.access_needs_viewed", "Access needs for an event viewed"
    # end of events actions
    # Follow and be told (heard.servicechange.follow)
    FOLLOW_REQUESTED = "follow.requested", "Follow asked for (confirmation emailed)"
    FOLLOW_CONFIRMED = "follow.confirmed", "Follow confirmed from the email"
    FOLLOW_UNSUBSCRIBED = "follow.unsubscribed", "Follower unsubscribed"
    FOLLOW_NOTIFIED = "follow.notified", "Followers told of changes"
    # end of follow actions
    # Evidence packs (heard.servicechange.evidence)
    EVIDENCE_PACK_REQUESTED = "evidence.pack_requested", "Evidence pack requested"
    EVIDENCE_PACK_BUILT = "evidence.pack_built", "Evidence pack built"
    EVIDENCE_PACK_DOWNLOADED = "evidence.pack_downloaded", "Evidence pack downloaded"
    # end of evidence actions
    # The annual involvement report (heard.reports)
    ANNUAL_REPORT_CREATED = "annual_report.created", "Annual involvement report started"
    ANNUAL_REPORT_NARRATIVE_CHANGED = (
        "annual_report.narrative_changed",
        "Annual involvement report: narrative changed",
    )
    ANNUAL_REPORT_APPROVED = (
        "annual_report.approved",
        "Annual involvement report approved by the board",
    )
    ANNUAL_REPORT_PUBLISHED = "annual_report.published", "Annual involvement report published"
    ANNUAL_REPORT_REOPENED = "annual_report.reopened", "Annual involvement report reopened"
    # end of annual report actions
    # Personal API tokens (heard.api)
    API_TOKEN_CREATED = "api.token_created", "API token made"
    API_TOKEN_REVOKED = "api.token_revoked", "API token revoked"
    API_TOKEN_REFUSED = "api.token_refused", "API token refused"
    # end of api actions
    # Exports (heard.exports)
    EXPORT_REQUESTED = "export.requested", "Export asked for"
    EXPORT_MADE = "export.made", "Export made"
    EXPORT_DOWNLOADED = "export.downloaded", "Export downloaded"
    EXPORTS_DELETED = "export.deleted", "Exports deleted after their retention period"
    # end of export actions
    # The audit trail itself
    AUDIT_EXPORTED = "audit.exported", "Audit trail exported"
    AUDIT_VERIFIED = "audit.verified", "Audit trail verified"
    # A legally significant act that was refused: who tried, what, and why (the refusal
    # message). The event's subject is what the act was tried on.
    ACT_REFUSED = "act.refused", "Legally significant act refused"
    PERSONAL_TEXT_ERASED = "personal_text.erased", "Personal words erased from the record"
    # Demo data
    DEMO_LOADED = "demo.loaded", "Demo data loaded"


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only: they cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only: they cannot be deleted.")


class AuditEvent(models.Model):
    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    # The actor is kept as an id and role, not a foreign key and not a name: the trail
    # outlives accounts and holds no personal data.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_role = models.CharField(max_length=32, blank=True)
    # Validated against ``Action`` by the service; no choices here, so that adding an
    # action needs no migration.
    action = models.CharField(max_length=64, db_index=True)
    subject_type = models.CharField(max_length=64, blank=True, db_index=True)
    subject_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects: ClassVar[models.Manager["AuditEvent"]] = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ("-sequence",)
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        default_permissions = ()

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.subject_type}:{self.subject_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only: they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only: they cannot be deleted.")

    @property
    def action_label(self) -> str:
        try:
            return str(Action(self.action).label)
        except ValueError:
            return self.action


class ChainHead(models.Model):
    """The last event appended: locked while appending, so events join the chain one at a time."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"head #{self.sequence}"


class AuditCheckpoint(models.Model):
    """The chain head on a date, signed with a key held outside the database (ADR 10).

    Append-only like the events (the model refuses change; triggers refuse it too). The
    signature covers every field but ``reason`` and ``id``; see ``heard.audit.signing``.
    """

    number = models.PositiveBigIntegerField(unique=True)
    sequence = models.PositiveBigIntegerField(db_index=True)
    head_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    prev_digest = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=100)
    # What made it: "timer", "command", or the audit action of the act it follows.
    reason = models.CharField(max_length=64, blank=True)

    objects: ClassVar[models.Manager["AuditCheckpoint"]] = models.Manager()

    class Meta:
        ordering = ("-number",)
        default_permissions = ()

    def __str__(self) -> str:
        return f"checkpoint {self.number} at event #{self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit checkpoints are append-only: they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit checkpoints are append-only: they cannot be deleted.")


class AuditText(models.Model):
    """Free text an event refers to that may hold personal data, kept outside the chain.

    The event holds only ``digest`` – SHA-256 of a random salt and the text – so the
    chain never holds the words, and the digest reveals nothing once they are erased:
    erasing blanks ``text`` and ``salt`` here and the chain still verifies. Until then
    the words can be checked against the digest the chain holds.
    """

    digest = models.CharField(max_length=64, unique=True)
    salt = models.CharField(max_length=32, blank=True)
    text = models.TextField(blank=True)
    # Whose or what words these are, so they can be found and erased together.
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        default_permissions = ()

    def __str__(self) -> str:
        return f"text {self.digest[:12]}{' (erased)' if self.erased_at else ''}"
