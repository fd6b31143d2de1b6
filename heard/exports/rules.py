"""Who may export what.

- responses of an activity: the staff who work with responses (administrators,
  engagement officers, analysts, programme leads); free text is redacted unless the person
  also holds ``engagement.view_responses_unredacted`` – checked again in the service;
- analysis results (themes with counts, codings by id): whoever may view the analysis;
- open data of a published outcome: every staff role (it is public already).

Equality answers and contact details are never exported, whoever asks.
"""

import rules

from heard.core.roles import (
    is_administrator,
    is_analyst,
    is_decision_maker,
    is_engagement_officer,
    is_programme_lead,
    is_staff_member,
)

rules.add_perm(
    "exports.export_responses",
    is_administrator | is_engagement_officer | is_analyst | is_programme_lead,
)
rules.add_perm(
    "exports.export_analysis",
    is_administrator | is_engagement_officer | is_analyst | is_programme_lead | is_decision_maker,
)
rules.add_perm("exports.export_open_data", is_staff_member)
# Seeing the exports page at all: anyone who may make any export.
rules.add_perm("exports.view_exports", is_staff_member)
