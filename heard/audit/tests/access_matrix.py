from heard.core.roles import Role
from heard.core.testing import Access

EXPECTED = {
    "audit:events": Access({Role.ADMINISTRATOR, Role.SCRUTINY_READER, Role.DECISION_MAKER}),
    "audit:export": Access({Role.ADMINISTRATOR, Role.SCRUTINY_READER}),
}
