"""Who may see the audit trail. Declared here, tested as a matrix in tests/test_permissions.py."""

import rules

from heard.core.roles import is_administrator, is_decision_maker, is_scrutiny_reader

rules.add_perm("audit.view_events", is_administrator | is_scrutiny_reader | is_decision_maker)
rules.add_perm("audit.export_events", is_administrator | is_scrutiny_reader)
