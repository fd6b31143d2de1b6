"""The shared rules for text from outside: control characters and spreadsheet formulas."""

import pytest

from heard.core.text import has_control_characters, spreadsheet_safe


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1603", "'+44 1603"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("＝1+1", "'＝1+1"),
        ("Fine", "Fine"),
        ("", ""),
        (None, ""),
        ("a=b", "a=b"),
    ],
)
def test_spreadsheet_safe(value, safe):
    assert spreadsheet_safe(value) == safe


def test_control_characters():
    assert has_control_characters("a\x00b") and has_control_characters(["ok", "\x1b"])
    assert has_control_characters("\x85") and has_control_characters("\x7f")
    assert not has_control_characters("tab\tnew\nline\r") and not has_control_characters(None)


def test_email_normalise_and_mixed_scripts():
    from heard.core.text import email_mixes_scripts, email_normalise

    assert email_normalise(" ＡＬＥＸ＠Example.org ") == "alex@example.org"
    assert email_mixes_scripts("alex@exаmple.org")  # Cyrillic а
    assert email_mixes_scripts("аlex@example.org")
    assert not email_mixes_scripts("alex@example.org")
    assert not email_mixes_scripts("почта@пример.рф")  # wholly Cyrillic is fine
    assert not email_mixes_scripts("zoë@example.org")
