"""Who may do what with standing groups (tested as a matrix in tests/test_permissions.py).

- ``view_groups``: the staff who know the groups (as ``people.view_groups``):
  administrators, engagement officers, programme leads.
- ``run_groups``: setting a group up, meetings, agenda, papers, attendance, minutes,
  decisions, actions, publishing: administrators and engagement officers.
- ``approve_minutes``: recording the chair's or staff lead's approval: those who run
  groups and programme leads (the service also checks the approver is the group's chair
  or staff lead at the meeting's date).
- ``view_paper`` (object: a paper): staff who view groups, and members of the public who
  hold a current term on that paper's group. Nobody else, and never from a public URL.
"""

from typing import Any

import rules
from django.utils import timezone

from heard.core.roles import is_administrator, is_engagement_officer, is_programme_lead

_runs = is_administrator | is_engagement_officer
_views = _runs | is_programme_lead


@rules.predicate
def is_member_of_papers_group(user: Any, paper: Any) -> bool:
    if paper is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    from heard.groups.selectors import member_has_current_term

    return member_has_current_term(
        user=user, standing_group_id=paper.meeting.standing_group_id, day=timezone.localdate()
    )


rules.add_perm("groups.view_groups", _views)
rules.add_perm("groups.run_groups", _runs)
rules.add_perm("groups.approve_minutes", _views)
rules.add_perm("groups.view_paper", _views | is_member_of_papers_group)
