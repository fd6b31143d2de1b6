"""Who may do what with the annual involvement report (NHS Act 2006 s.14Z58).

- read the drafts and the versions as published: every staff role;
- write the narrative, and reopen a published report for a correction: administrators,
  engagement officers and programme leads;
- record the board's approval: decision makers only (they speak for the board; the
  service checks this itself, whoever calls it);
- publish the approved report (freeze it as issued): administrators and engagement
  officers, as for every other "you said, we did" publication.
"""

import rules

from heard.core.roles import (
    is_administrator,
    is_decision_maker,
    is_engagement_officer,
    is_programme_lead,
    is_staff_member,
)

rules.add_perm("reports.view_reports", is_staff_member)
rules.add_perm("reports.edit_reports", is_administrator | is_engagement_officer | is_programme_lead)
rules.add_perm("reports.approve_reports", is_decision_maker)
rules.add_perm("reports.publish_reports", is_administrator | is_engagement_officer)
