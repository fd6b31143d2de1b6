"""Every format: staff add alternative formats and translations; the public asks for
what is not there yet; staff close requests by a due date."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement import services_formats
from heard.engagement.models import Activity, ActivityDocument, FormatRequest
from heard.engagement.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr("heard.core.mail.transaction.on_commit", lambda fn, *a, **k: fn())


def _upload(client, activity, **data):
    return client.post(reverse("engagement:documents", args=[activity.pk]), data)


def test_an_officer_adds_an_easy_read_version_people_then_see(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    activity = ActivityFactory()
    r = _upload(
        client,
        activity,
        title="Consultation document – Easy Read",
        format="easy_read",
        file=SimpleUploadedFile("easy-read.pdf", PDF, content_type="application/pdf"),
    )
    assert r.status_code == 302
    doc = ActivityDocument.objects.get()
    assert doc.format == "easy_read" and doc.file.read() == PDF
    public = client.get(reverse("engagement_public:activity", args=[activity.slug]))
    assert "Consultation document – Easy Read" in public.content.decode()
    event = AuditEvent.objects.get(action=Action.ACTIVITY_UPDATED, after__change="document_added")
    assert event.after["kind"] == "PDF" and len(event.after["sha256"]) == 64
    # A translation in Word, with its language.
    _upload(
        client,
        activity,
        title="Dokument konsultacyjny",
        format="other_language",
        language="Polish",
        file=SimpleUploadedFile("polski.docx", docx_bytes()),
    )
    assert ActivityDocument.objects.get(format="other_language").language == "Polish"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"title": "Easy Read", "file": ("easy.pdf", b"<html><script>x</script></html>")},
            "The file must be a PDF",
        ),
        ({"title": "Easy Read", "file": ("easy.pdf", b"")}, "empty"),
        ({"title": "Easy Read", "file": ("easy.exe", PDF)}, "rename it to end .pdf"),
        ({"title": "x", "file": ("easy.pdf", PDF)}, "Enter a title that says what"),
        (
            {"title": "Tłumaczenie", "format": "other_language", "file": ("t.pdf", PDF)},
            "Enter the language of the translation",
        ),
        (
            {"title": "BSL version", "format": "bsl", "file": ("bsl.pdf", PDF)},
            "must be an MP4 video",
        ),
    ],
)
def test_a_document_that_is_not_what_it_says_is_refused(staff_client, data, message):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    activity = ActivityFactory()
    name, content = data.pop("file")
    r = _upload(
        client,
        activity,
        **{"format": "easy_read", **data},
        file=SimpleUploadedFile(name, content),
    )
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not ActivityDocument.objects.exists()


def test_only_staff_who_manage_activities_add_documents_even_through_the_service(make_staff):
    activity = ActivityFactory()
    for role in (Role.SCRUTINY_READER, Role.ANALYST, Role.DECISION_MAKER):
        with pytest.raises(PermissionDenied):
            services_formats.activity_document_add(
                actor=make_staff(role),
                activity=activity,
                title="Easy Read",
                upload=io.BytesIO(PDF),
                name="e.pdf",
                size=len(PDF),
                format="easy_read",
            )
    assert not ActivityDocument.objects.exists()


def _ask(client, activity, **data):
    return client.post(reverse("engagement_public:format_request", args=[activity.slug]), data)


def test_a_member_of_the_public_asks_for_large_print_and_staff_send_it(client, staff_client):
    activity = ActivityFactory()
    page = client.get(reverse("engagement_public:activity", args=[activity.slug])).content
    assert reverse("engagement_public:format_request", args=[activity.slug]) in page.decode()
    r = _ask(
        client,
        activity,
        format="large_print",
        details="Size 24 please, I am partially sighted – Mr Jones",
        email="reader@example.org",
    )
    assert r.status_code == 200 and "We have your request" in r.content.decode()
    request = FormatRequest.objects.get()
    assert request.due_by == timezone.localdate() + timedelta(days=10)
    # The acknowledgement is fixed text: nothing the requester typed goes to an
    # address nobody has confirmed.
    assert len(mail.outbox) == 1 and "Jones" not in mail.outbox[0].body
    assert "partially" not in str(
        AuditEvent.objects.filter(after__change="format_requested").get().after
    )
    officer_client, officer = staff_client(Role.ENGAGEMENT_OFFICER)
    queue = officer_client.get(reverse("engagement:format_requests")).content.decode()
    assert "reader@example.org" in queue and "Large print" in queue
    close = reverse("engagement:format_request_close", args=[request.pk])
    r = officer_client.post(close, {"met": "yes", "note": "ok"})
    assert r.status_code == 400 and "is not a reason" in r.content.decode()
    r = officer_client.post(close, {"met": "yes", "note": "Posted the large print copy, 24 point."})
    assert r.status_code == 302
    request.refresh_from_db()
    assert request.status == "done" and request.closed_by == officer
    assert request.contact_email == "" and request.contact_postal == ""
    with pytest.raises(services_formats.FormatProblem, match="already been closed"):
        services_formats.format_request_close(
            actor=officer, request=request, met=True, note="Sent again to the same person."
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"format": "large_print"}, "Enter an email address or a postal address"),
        ({"format": "large_print", "postal": "-"}, "Enter an email address or a postal address"),
        ({"format": "other_language", "email": "a@example.org"}, "Enter the language you need"),
        (
            {"format": "other_language", "language": "x", "email": "a@example.org"},
            "Enter the language",
        ),
        ({"format": "paper", "email": "a@example.org"}, "Enter the postal address"),
        (
            {"format": "audio", "email": "not an email"},
            "Enter an email address in the right format",
        ),
        ({"email": "a@example.org"}, "Choose the format you need"),
    ],
)
def test_a_request_we_could_not_meet_is_refused_with_what_to_do(client, data, message):
    activity = ActivityFactory()
    r = _ask(client, activity, **data)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not FormatRequest.objects.exists()


def test_no_request_for_a_draft_activity(client):
    activity = ActivityFactory(status=Activity.Status.DRAFT)
    assert _ask(client, activity, format="audio", email="a@example.org").status_code == 404


def test_overdue_requests_come_first_and_say_so(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    activity = ActivityFactory(title="Stroke rehabilitation")
    FormatRequest.objects.create(
        activity=activity,
        format="audio",
        contact_email="a@example.org",
        due_by=timezone.localdate() - timedelta(days=2),
    )
    FormatRequest.objects.create(
        activity=activity,
        format="braille",
        contact_postal="1 High St",
        due_by=timezone.localdate() + timedelta(days=5),
    )
    page = client.get(reverse("engagement:format_requests")).content.decode()
    assert page.index("Audio") < page.index("Braille")
    assert page.count("Overdue") == 1


def test_requests_are_limited_per_connection_and_control_characters_refused(client):
    activity = ActivityFactory()
    r = _ask(client, activity, format="audio", details="I need it\x00 now", email="a@example.org")
    assert r.status_code == 400 and not FormatRequest.objects.exists()
    for i in range(services_formats.REQUESTS_PER_CLIENT_PER_HOUR):
        assert _ask(client, activity, format="audio", email=f"p{i}@example.org").status_code == 200
    r = _ask(client, activity, format="audio", email="late@example.org")
    assert r.status_code == 400 and "several requests from this connection" in r.content.decode()
    assert FormatRequest.objects.count() == services_formats.REQUESTS_PER_CLIENT_PER_HOUR
