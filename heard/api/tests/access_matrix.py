"""Who may reach each API token page (see tests/test_permissions.py): every staff role,
each for their own tokens."""

from heard.core.roles import Role
from heard.core.testing import Access

EVERY_ROLE = set(Role)

EXPECTED = {
    "api_tokens:list": Access(EVERY_ROLE),
    "api_tokens:create": Access(
        EVERY_ROLE, method="post", data={"name": "Power BI report", "days": "30"}
    ),
    # Someone else's token (or none): refused with a message, never revoked.
    "api_tokens:revoke": Access(EVERY_ROLE, method="post", data={"token": "999999"}),
}
