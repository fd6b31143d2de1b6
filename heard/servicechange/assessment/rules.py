"""Who may do what in assessment.

- Every staff member may read the options appraisal, significance assessment and
  assurance record (scrutiny readers and decision makers included).
- Programme leads, engagement officers and administrators record them.
- Only an **administrator or a decision maker** may record an override of the
  significance determination (domain.md §4: a reasoned override by an authorised role).
- The EqIA review before the decision (Brown principles: the duty is considered by those
  deciding and cannot be delegated) is recorded by a decision maker or an administrator –
  not by a programme lead, whose team wrote the EqIA.
- Each decision maker records their own regard to the reviewed EqIA before the decision
  (``record_due_regard``): decision makers (and administrators, for themselves).
"""

import rules

from heard.core.roles import (
    is_administrator,
    is_decision_maker,
    is_engagement_officer,
    is_programme_lead,
    is_staff_member,
)

rules.add_perm("assessment.view_assessment", is_staff_member)
rules.add_perm(
    "assessment.change_assessment", is_administrator | is_engagement_officer | is_programme_lead
)
rules.add_perm("assessment.override_significance", is_administrator | is_decision_maker)
rules.add_perm("assessment.review_eqia", is_administrator | is_decision_maker)
# Due regard is had by those deciding, each for themselves (Brown principles). An
# administrator may record their own where they take part in the decision.
rules.add_perm("assessment.record_due_regard", is_administrator | is_decision_maker)
