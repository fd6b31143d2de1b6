"""Reading import files: encodings, formats, and clear refusals. No database."""

import io

import pytest
from openpyxl import Workbook

from heard.people.imports.reader import UnreadableFile, read_table
from heard.people.imports.validation import (
    RowInvalid,
    auto_map,
    clean_row,
    mapping_problems,
)

ROWS = "Name,Email,Postcode\nZoë Brontë,zoe@example.org,nr1 3sr\nSeán Ó Dálaigh,sean@example.org,IP22 4AB\n"


def _rows(data: bytes, name: str = "people.csv") -> tuple[list[str], list[list[str]], str]:
    table = read_table(data, name)
    return table.header, list(table.rows), table.encoding


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ROWS.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ROWS.encode("utf-8"), "utf-8-sig"),
        (ROWS.encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252"],
)
def test_accented_names_read_right_in_every_encoding(data, encoding):
    header, rows, found = _rows(data)
    assert header == ["Name", "Email", "Postcode"]  # no BOM glued to the first column
    assert rows[0][0] == "Zoë Brontë"
    assert rows[1][0] == "Seán Ó Dálaigh"
    assert found == encoding


def test_semicolon_separated_file_is_read():
    header, rows, _ = _rows(b"Name;Email\nAda Lovelace;ada@example.org\n")
    assert header == ["Name", "Email"]
    assert rows == [["Ada Lovelace", "ada@example.org"]]


def test_xlsx_is_read_with_numbers_as_text():
    book = Workbook()
    sheet = book.active
    sheet.append(["Full name", "Phone", "Post code"])
    sheet.append(["Ada Lovelace", 1603123456, "NR2 1AA"])
    buffer = io.BytesIO()
    book.save(buffer)
    header, rows, encoding = _rows(buffer.getvalue(), "list.XLSX")
    assert header == ["Full name", "Phone", "Post code"]
    assert rows == [["Ada Lovelace", "1603123456", "NR2 1AA"]]
    assert encoding == "xlsx"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "The file is empty"),
        (b"\n\n  \n", "blank.csv", "The file is empty"),
        (bytes(range(256)) * 40, "garbage.csv", "does not look like a table"),
        (b"Name,Email\n", "people.pdf", "must be a CSV"),
        (b"PK\x03\x04 not really a workbook", "people.xlsx", "cannot be opened as an Excel"),
        (b"PK\x03\x04 zipped", "people.csv", "Excel workbook saved with a .csv name"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, name, message):
    with pytest.raises(UnreadableFile, match=message):
        read_table(data, name)


def test_blank_and_repeated_header_names_are_made_distinct():
    header, _, _ = _rows(b"Name,,Name\na,b,c\n")
    assert header == ["Name", "Column 2", "Name (2)"]


def test_auto_map_recognises_common_header_names():
    mapping = auto_map(["Forename", "Surname", "E-mail address", "Post Code", "Tel", "Role"])
    assert mapping == {
        "first_name": "Forename",
        "last_name": "Surname",
        "email": "E-mail address",
        "postcode": "Post Code",
        "phone": "Tel",
        "role": "Role",
    }
    assert mapping_problems(mapping, list(mapping.values())) == []


def test_mapping_without_name_or_contact_is_refused():
    problems = mapping_problems({"phone": "Tel"}, ["Tel"])
    assert any("full name" in p for p in problems)
    assert any("email address column or the postcode" in p for p in problems)


COLUMNS = {"full_name": 0, "email": 1, "postcode": 2, "role": 3}


def test_clean_row_normalises_email_and_postcode():
    row = clean_row(["  Ada   Lovelace ", "ADA@Example.org", "nr21aa", "Chair"], COLUMNS)
    assert (row.full_name, row.email, row.postcode, row.role) == (
        "Ada Lovelace",
        "ada@example.org",
        "NR2 1AA",
        "chair",
    )


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["", "a@example.org", ""], "The name is missing"),
        (["Ada", "not-an-email", ""], "The email address is not valid"),
        (["Ada", "", "XX1 ZZZ9"], "The postcode is not a UK postcode"),
        (["Ada", "", ""], "no email address or postcode"),
    ],
)
def test_invalid_rows_give_the_reason(row, reason):
    with pytest.raises(RowInvalid, match=reason):
        clean_row(row, COLUMNS)


# --- bounds: nothing uploaded can tie up a server -----------------------------------------


def _refused(fn):
    with pytest.raises(UnreadableFile) as caught:
        fn()
    return caught.value


def test_a_zip_bomb_workbook_is_refused_from_its_directory():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (40 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 1024 * 1024  # under a megabyte on the wire
    error = _refused(lambda: read_table(data, "bomb.xlsx"))
    assert "expands to far more than its size" in str(error)


def test_ten_thousand_columns_are_refused_with_a_message():
    header = ",".join(f"c{i}" for i in range(10_000)) + "\n" + ",".join("1" * 10_000) + "\n"
    error = _refused(lambda: read_table(header.encode(), "wide.csv"))
    assert "10,000 columns: we take at most 200" in str(error)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(monkeypatch):
    from heard.people.imports import reader

    monkeypatch.setattr(reader, "MAX_BYTES", 2 * reader.MB)
    data = b"Name\n" + b"Jo Bloggs\n" * 300_000  # 3 MB
    error = _refused(lambda: read_table(data, "big.csv"))
    assert str(error).startswith("The file is 3 MB: the largest file we take is 2 MB.")


def test_too_many_rows_stop_with_a_message_while_reading():
    data = ("Name\n" + "Jo\n" * 30).encode()
    table = read_table(data, "people.csv", max_rows=25)
    with pytest.raises(UnreadableFile, match="more than 25 rows"):
        list(table.rows)


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 this is not really a zip",
        b"PK\x03\x04" + b"\x00" * 200,
    ],
)
def test_a_damaged_workbook_gets_a_message_not_a_server_error(data):
    with pytest.raises(UnreadableFile, match="cannot be opened as an Excel workbook"):
        list(read_table(data, "damaged.xlsx").rows)


def test_a_workbook_with_broken_sheet_xml_gets_a_message():
    import zipfile

    good = io.BytesIO()
    wb = Workbook()
    wb.active.append(["Name", "Email"])
    wb.save(good)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good.getvalue())) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]  # cut off mid-XML
            dst.writestr(item, content)
    with pytest.raises(UnreadableFile):
        list(read_table(broken.getvalue(), "broken.xlsx").rows)
