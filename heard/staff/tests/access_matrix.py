from heard.core.testing import ALL_STAFF, Access

EXPECTED = {
    "staff:dashboard": Access(ALL_STAFF),
}
