"""Reading insight CSVs: encodings, columns, rows, clear errors (pure)."""

from datetime import date

import pytest

from heard.insight.csvfile import RowInvalid, UnreadableFile, clean_row, parse_date, read_table

TODAY = date(2026, 1, 1)


def test_windows_1252_and_bom_files_are_read():
    cp = "comment,date\r\nCaf\xe9 was closed \u2013 again,01/03/2025\r\n".encode("cp1252")
    table = read_table(cp)
    assert table.encoding == "windows-1252"
    assert table.rows[0][1][0] == "Café was closed – again"
    bom = "\ufefftext;date;locality\nGood care;2025-03-01;norwich\n".encode()
    table = read_table(bom)
    assert table.encoding == "utf-8-sig"
    row = clean_row(table.rows[0][1], table.columns, default_source="fft", today=TODAY)
    assert row.locality == "Norwich" and row.source == "fft"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"PK\x03\x04rest", "Excel workbook"),
        (b"\x00\x01\x02binary", "binary"),
        (b"name,email\nA,b@example.com\n", 'no "text" and "date" column'),
        (b"text,date\n", "no comments"),
    ],
)
def test_garbage_gets_a_clear_message(data, message):
    with pytest.raises(UnreadableFile, match=message):
        read_table(data)


def test_bad_rows_say_what_is_wrong():
    table = read_table(
        b"text,date,source,locality\n"
        b",01/01/2025,pals,\n"
        b"Fine,32/13/2025,pals,\n"
        b"Fine,01/01/2030,pals,\n"
        b"Fine,01/01/2025,twitter,\n"
        b"Fine,01/01/2025,pals,Atlantis\n"
    )
    reasons = []
    for _, cells in table.rows:
        with pytest.raises(RowInvalid) as err:
            clean_row(cells, table.columns, default_source="pals", today=TODAY)
        reasons.append(str(err.value))
    assert "empty" in reasons[0]
    assert "not a date we recognise" in reasons[1]
    assert "in the future" in reasons[2]
    assert 'source "twitter"' in reasons[3]
    assert 'locality "Atlantis"' in reasons[4]


@pytest.mark.parametrize(
    "value",
    ["2025-03-12", "12/03/2025", "12 March 2025", "2025-03-12 00:00:00", "12/03/2025 14:05"],
)
def test_dates_as_spreadsheets_write_them(value):
    assert parse_date(value) == date(2025, 3, 12)


def test_the_insight_reader_has_the_same_bounds_as_the_others():
    wide = ",".join(f"c{i}" for i in range(10_000)) + "\n" + "x," * 9_999 + "x\n"
    with pytest.raises(UnreadableFile, match="10,000 columns: we take at most 200"):
        read_table(wide.encode())


def test_themes_coded_at_the_source_are_read_and_checked():
    """An FFT extract or a Healthwatch file often comes with each comment's theme already
    coded: the "themes" (or "theme", "category") column is kept, placeholders dropped."""
    table = read_table(
        b"comment,date,category\n"
        b"Kind staff,01/01/2025,Staff; Care received ;Staff\n"
        b"Lovely,01/01/2025,n/a\n"
        b"Long,01/01/2025," + b"x" * 101 + b"\n"
        b"Many,01/01/2025," + b";".join(b"theme %d" % i for i in range(11)) + b"\n"
    )
    rows = table.rows
    first = clean_row(rows[0][1], table.columns, default_source="fft", today=TODAY)
    assert first.themes == ("Staff", "Care received")
    assert clean_row(rows[1][1], table.columns, default_source="fft", today=TODAY).themes == ()
    with pytest.raises(RowInvalid, match="longer than 100 characters"):
        clean_row(rows[2][1], table.columns, default_source="fft", today=TODAY)
    with pytest.raises(RowInvalid, match="at most 10"):
        clean_row(rows[3][1], table.columns, default_source="fft", today=TODAY)
