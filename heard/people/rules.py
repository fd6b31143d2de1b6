"""Who may do what with people and groups. Tested as a matrix in tests/test_permissions.py.

Least privilege, because these pages hold personal data (UK GDPR, domain §11):

- ``view_people`` / ``change_people`` / ``import_people``: administrators and engagement
  officers only – they run the membership scheme and keep the contact lists. Programme
  leads and analysts work from aggregates and samples (involvement app), not from the
  directory; decision makers and the scrutiny reader never see named individuals.
- ``view_groups``: also programme leads, who need to know the stakeholders (OSCs,
  Healthwatch, trusts, PPGs) and their contacts when planning a service change.
  ``change_groups`` stays with administrators and engagement officers.
- ``view_equality``: aggregate equality reports only (never next to a name): administrators,
  engagement officers and analysts.
"""

import rules

from heard.core.roles import is_administrator, is_analyst, is_engagement_officer, is_programme_lead

_people_team = is_administrator | is_engagement_officer

rules.add_perm("people.view_people", _people_team)
rules.add_perm("people.change_people", _people_team)
rules.add_perm("people.import_people", _people_team)
rules.add_perm("people.view_groups", _people_team | is_programme_lead)
rules.add_perm("people.change_groups", _people_team)
rules.add_perm("people.view_equality", _people_team | is_analyst)
