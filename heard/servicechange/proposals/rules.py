"""Who may do what with proposals for service change."""

import rules

from heard.core.roles import (
    is_administrator,
    is_decision_maker,
    is_engagement_officer,
    is_programme_lead,
    is_staff_member,
)

# Every staff member may read proposals (scrutiny readers and board members included).
rules.add_perm("proposals.view_proposals", is_staff_member)
# Programme leads own proposals; engagement officers and administrators run them too.
rules.add_perm(
    "proposals.change_proposals", is_administrator | is_engagement_officer | is_programme_lead
)
# Moving a proposal to "decided" is the decision itself (domain.md §6): only those who may
# record it – decision makers and administrators (as outcomes.record_decision).
rules.add_perm("proposals.record_decision", is_administrator | is_decision_maker)
