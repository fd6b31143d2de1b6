"""Who may do what in outcomes.

- read the theme responses, the report and the decision: every staff role (scrutiny
  readers and decision makers read; the published report is public anyway);
- write the responses to themes, the report's text, and issue the report to the decision
  makers: administrators, engagement officers, programme leads and analysts;
- approve (or reject) a "you said, we did" so that it goes public – a consultation's
  outcome or an activity's feedback: administrators and engagement officers (and never
  the person who sent it for approval: the service refuses that);
- record the decision: only an authorised role – decision makers and administrators
  (domain.md §6: the decision is the board's, recorded by those who may speak for it).
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

rules.add_perm("outcomes.view_outcomes", is_staff_member)
rules.add_perm(
    "outcomes.change_outcomes",
    is_administrator | is_engagement_officer | is_programme_lead | is_analyst,
)
rules.add_perm("outcomes.record_decision", is_administrator | is_decision_maker)
rules.add_perm("outcomes.publish", is_administrator | is_engagement_officer)
