"""Who may use the staff area. Declared here, tested as a matrix in tests/test_permissions.py."""

import rules

from heard.core.roles import is_staff_member

rules.add_perm("staff.view_dashboard", is_staff_member)
