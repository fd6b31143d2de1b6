"""Hostile and damaged files at every import page: refused fast, with a message, never a 500.

The three upload pages (people, responses, insight) read files through the shared table
reader. A zip bomb, a 10,000-column file and damaged workbooks are refused well within
a second on a quiet machine; the bound here is 5 s so a loaded test machine does not
make it flaky (benchmarks/import_bounds.py prints the real figures)."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from heard.core.roles import Role

pytestmark = pytest.mark.django_db


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        row = b"<row>" + b"<c><v>0</v></c>" * 1000 + b"</row>"
        z.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + row * 20_000 + b"</sheetData>")
    return out.getvalue()


def wide_xlsx() -> bytes:
    wb = Workbook()
    wb.active.append([f"c{i}" for i in range(10_000)])
    wb.active.append(["1"] * 10_000)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def truncated_xlsx() -> bytes:
    wb = Workbook()
    wb.active.append(["Full name", "Email"])
    wb.active.append(["Ada", "ada@example.org"])
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    return data[: len(data) // 2]


WIDE_CSV = (
    ",".join(f"c{i}" for i in range(10_000)) + "\n" + ",".join(["1"] * 10_000) + "\n"
).encode()

CASES = [
    ("bomb.xlsx", zip_bomb(), "expands to far more than its size"),
    ("wide.xlsx", wide_xlsx(), "columns"),
    ("wide.csv", WIDE_CSV, "10,000 columns: we take at most 200"),
    ("truncated.xlsx", truncated_xlsx(), "cannot be opened as an Excel workbook"),
    ("garbage.xlsx", b"PK\x03\x04" + bytes(range(256)) * 20, "cannot be opened as an Excel"),
    ("garbage.xlsx", b"\x00\x01\x02 not a workbook at all", "cannot be opened as an Excel"),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _timed(post):
    started = time.perf_counter()
    response = post()
    return response, time.perf_counter() - started


@pytest.mark.parametrize(("name", "data", "message"), CASES)
def test_people_import_refuses_hostile_files_fast_with_a_message(staff_client, name, data, message):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    client.get(reverse("people:imports"))  # the first request of a test loads templates
    response, seconds = _timed(
        lambda: client.post(reverse("people:imports"), {"file": SimpleUploadedFile(name, data)})
    )
    assert response.status_code == 200  # the form again, with the message
    assert message in response.content.decode()
    assert seconds < 5, seconds
    from heard.people.models import ImportBatch

    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(("name", "data", "message"), CASES)
def test_response_import_refuses_hostile_files_fast_with_a_message(
    staff_client, name, data, message
):
    from heard.engagement.tests.test_respond import make_questionnaire

    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    q = make_questionnaire()
    url = reverse("engagement:responses_import", args=[q.activity_id])
    client.get(url)
    response, seconds = _timed(lambda: client.post(url, {"file": SimpleUploadedFile(name, data)}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert seconds < 5, seconds


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bomb.csv", zip_bomb(), "Excel workbook"),
        ("wide.csv", WIDE_CSV, "10,000 columns: we take at most 200"),
        ("garbage.csv", b"\x00\x01\x02 binary", "binary"),
    ],
)
def test_insight_import_refuses_hostile_files_fast_with_a_message(
    staff_client, name, data, message
):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    client.get(reverse("insight:imports"))
    response, seconds = _timed(
        lambda: client.post(
            reverse("insight:imports"),
            {"file": SimpleUploadedFile(name, data), "default_source": "pals"},
        )
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert seconds < 5, seconds
