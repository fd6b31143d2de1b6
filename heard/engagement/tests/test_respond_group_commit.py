"""Group commit: online responses arriving together are stored together, exactly once."""

import uuid

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.audit.selectors import audit_verify
from heard.audit.services import AuditEntry, audit_record, audit_record_many
from heard.engagement import selectors_responses, services_responses
from heard.engagement.models import Answer, Response
from heard.engagement.tests.test_respond import _walk, make_questionnaire

RAW = {
    "as": "individual",
    "used": "yes",
    "experience": "The district nurse came every morning and explained each dressing.",
    "agree": "agree",
}


@pytest.fixture(autouse=True)
def _no_min_time(settings):
    settings.HEARD_RESPONSE_MIN_SECONDS = 0
    selectors_responses.public_cache_clear()


def _pending(version, token=None, raw=RAW):
    view = selectors_responses.version_view(version)
    return services_responses._Pending(
        view=view,
        clean=services_responses.response_clean(view, raw),
        token=token or uuid.uuid4(),
        submitted_at=timezone.now(),
        late=False,
        publish_consent=False,
        draft_token="",
        request_id="req-test",
    )


@pytest.mark.django_db
def test_a_batch_stores_new_responses_once_and_answers_repeats_with_the_first():
    version = make_questionnaire().current_version()
    already = services_responses._submit_one(_pending(version))[0]
    a, b, c = (_pending(version) for _ in range(3))
    twice = _pending(version, token=a.token)  # a double click landing in the same batch
    resent = _pending(version, token=already.submission_token)  # sent again later
    outcomes = services_responses._submit_batch([a, b, twice, resent, c])
    assert [created for _, created in outcomes] == [True, True, False, False, True]
    assert outcomes[2][0].pk == outcomes[0][0].pk
    assert outcomes[3][0].pk == already.pk
    assert Response.objects.count() == 4
    for response, _ in outcomes:
        stored = Response.objects.get(pk=response.pk)
        assert stored.reference == response.reference
        assert Answer.objects.filter(response=stored).count() == len(a.clean.answers)
    # One audit event per stored response, chained, with each request's own id.
    events = AuditEvent.objects.filter(action=Action.RESPONSE_SUBMITTED).order_by("sequence")
    assert [e.subject_id for e in events] == [
        str(already.pk),
        *(str(outcomes[n][0].pk) for n in (0, 1, 4)),
    ]
    assert {e.request_id for e in events} == {"req-test"}
    assert audit_verify().ok


@pytest.mark.django_db
def test_when_the_batch_cannot_be_stored_together_each_response_is_stored_alone(monkeypatch):
    version = make_questionnaire().current_version()
    items = [_pending(version) for _ in range(3)]

    def clash(batch):
        # something written, then a failure (say the database refused a row): all of
        # the batch's transaction rolls back
        services_responses._insert_responses([batch[0].build()[0]], {})
        raise IntegrityError("UNIQUE constraint failed: engagement_response.submission_token")

    monkeypatch.setattr(services_responses, "_store_batch", clash)
    outcomes = services_responses._submit_batch(items)
    assert [created for _, created in outcomes] == [True, True, True]
    assert Response.objects.count() == 3
    assert Answer.objects.count() == 3 * len(items[0].clean.answers)
    assert audit_verify().ok


@pytest.mark.django_db
def test_one_invalid_item_fails_alone_when_stored_one_by_one(monkeypatch):
    version = make_questionnaire().current_version()
    good, bad = _pending(version), _pending(version)
    real_submit_one = services_responses._submit_one

    def submit_one(item):
        if item is bad:
            raise IntegrityError("refused by the database")
        return real_submit_one(item)

    monkeypatch.setattr(
        services_responses,
        "_store_batch",
        lambda batch: (_ for _ in ()).throw(IntegrityError("clash")),
    )
    monkeypatch.setattr(services_responses, "_submit_one", submit_one)
    outcomes = services_responses._submit_batch([good, bad])
    assert outcomes[0][1] is True
    assert isinstance(outcomes[1], IntegrityError)
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_audit_events_appended_together_chain_like_events_appended_alone():
    audit_record(action=Action.RESPONSE_SUBMITTED, subject=("engagement.response", 1))
    events = audit_record_many(
        [
            AuditEntry(action=Action.RESPONSE_SUBMITTED, subject=("engagement.response", n))
            for n in range(2, 260)  # more than one insert's worth of rows
        ]
    )
    audit_record(action=Action.RESPONSE_SUBMITTED, subject=("engagement.response", 260))
    stored = list(AuditEvent.objects.order_by("sequence"))
    assert [e.subject_id for e in stored] == [str(n) for n in range(1, 261)]
    # the keys handed back belong to the events they were given to
    assert {e.pk: e.sequence for e in events} == {
        e.pk: e.sequence for e in stored if e.pk in {x.pk for x in events}
    }
    assert audit_verify().ok
    assert audit_verify().verified == 260


@pytest.mark.usefixtures("transactional_db")
def test_the_public_form_is_stored_by_the_writer_thread_and_answered_after_commit(client, settings):
    settings.HEARD_RESPONSE_GROUP_COMMIT = True
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    before = services_responses._committer.items
    state = _walk(client, url, email="pat@example.com")
    r = client.post(
        url, {"state": state, "page": 3, "action": "send", "receipt_email": "pat@example.com"}
    )
    assert r.status_code == 302
    again = client.post(url, {"state": state, "page": 3, "action": "send"})
    assert again.status_code == 302  # the same receipt
    reference = Response.objects.get().reference
    assert reference in client.get(r["Location"]).content.decode()
    assert reference in client.get(again["Location"]).content.decode()
    assert services_responses._committer.items == before + 2
    response = Response.objects.get()
    assert Answer.objects.filter(response=response).count() >= 3
    assert len(mail.outbox) == 1 and response.reference in mail.outbox[0].body
    assert audit_verify().ok
    services_responses._committer.stop()  # its connection must not outlive the test
