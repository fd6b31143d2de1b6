"""Public responding: pages, errors, check and send, exactly once, receipts, late, spam."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.engagement import hooks, selectors_responses, services_responses
from heard.engagement.models import (
    Activity,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseDraft,
    ResponseEquality,
    Section,
    SpamLog,
)
from heard.engagement.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def make_questionnaire(activity=None):
    """Two pages: who you are and a conditional question; then views and about you."""
    activity = activity or ActivityFactory(title="Community nursing survey")
    q = Questionnaire.objects.create(activity=activity, title=activity.title)
    v = QuestionnaireVersion.objects.create(questionnaire=q, number=1)
    p1 = Section.objects.create(version=v, position=1, title="About your care")
    p2 = Section.objects.create(version=v, position=2, title="Your views")
    p3 = Section.objects.create(version=v, position=3, title="About you")
    K = Question.Kind
    Question.objects.create(
        version=v,
        section=p1,
        key="as",
        position=1,
        kind=K.RESPONDENT_TYPE,
        text="Are you responding as an individual or for an organisation?",
        required=True,
    )
    Question.objects.create(
        version=v,
        section=p1,
        key="used",
        position=2,
        kind=K.YES_NO,
        text="Have you had care from a community nurse?",
        required=True,
    )
    Question.objects.create(
        version=v,
        section=p2,
        key="experience",
        position=1,
        kind=K.LONG_TEXT,
        text="Tell us about your experience",
        required=True,
        max_length=500,
        show_if_key="used",
        show_if_values=["yes"],
    )
    Question.objects.create(
        version=v,
        section=p2,
        key="agree",
        position=2,
        kind=K.LIKERT,
        text="Nurses should visit in the evening",
    )
    Question.objects.create(
        version=v,
        section=p2,
        key="matters",
        position=3,
        kind=K.MULTIPLE_CHOICE,
        text="What matters most?",
        options=[["time", "Time to talk"], ["same", "Same nurse"]],
    )
    Question.objects.create(
        version=v, section=p3, key="about_you", position=1, kind=K.EQUALITY, text="About you"
    )
    return q


@pytest.fixture(autouse=True)
def _no_min_time(settings, monkeypatch):
    """No minimum time (tests answer instantly); mail queued on commit goes out at once
    (the test transaction never commits)."""
    settings.HEARD_RESPONSE_MIN_SECONDS = 0
    selectors_responses.public_cache_clear()  # ids repeat between tests
    services_responses.rate_pending_clear()
    monkeypatch.setattr("heard.core.mail.transaction.on_commit", lambda fn, *a, **k: fn())


def _state(html):
    return re.search(r'name="state" value="([^"]+)"', html)[1]


def _walk(client, url, *, experience="The nurse was kind and on time.", email=""):
    """Answer every page and return the check page's state."""
    page = client.get(url)
    assert page.status_code == 200
    r = client.post(
        url,
        {
            "state": _state(page.content.decode()),
            "page": 0,
            "as": "individual",
            "used": "yes",
            "action": "continue",
        },
    )
    assert "Your views" in r.content.decode()
    r = client.post(
        url,
        {
            "state": _state(r.content.decode()),
            "page": 1,
            "experience": experience,
            "agree": "agree",
            "matters": ["time", "same"],
            "action": "continue",
        },
    )
    assert "About you" in r.content.decode()
    r = client.post(
        url,
        {
            "state": _state(r.content.decode()),
            "page": 2,
            "eq_age_band": "65_74",
            "action": "continue",
        },
    )
    assert "Check your answers and send" in r.content.decode()
    return _state(r.content.decode())


def test_a_member_of_the_public_answers_across_pages_and_gets_a_reference(client, settings):
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    state = _walk(client, url)
    r = client.post(
        url,
        {
            "state": state,
            "page": 3,
            "action": "send",
            "publish_consent": "yes",
            "receipt_email": "pat@example.org",
        },
    )
    assert r.status_code == 302
    done = client.get(r["Location"])
    response = Response.objects.get()
    assert response.reference in done.content.decode()
    assert re.fullmatch(r"HYS-[2-9A-Z]{4}-[2-9A-Z]{4}", response.reference)
    assert response.channel == "online" and response.publish_consent and not response.late
    answers = {a.question.key: a for a in response.answers.all()}
    assert answers["experience"].text == "The nurse was kind and on time."
    assert answers["matters"].value == ["time", "same"]
    assert answers["agree"].value == "agree"
    # Equality answers are stored apart, not as answers.
    assert "about_you" not in answers
    assert ResponseEquality.objects.get().age_band == "65_74"
    assert len(mail.outbox) == 1 and response.reference in mail.outbox[0].body
    assert AuditEvent.objects.filter(action=Action.RESPONSE_SUBMITTED).count() == 1
    audit = AuditEvent.objects.get(action=Action.RESPONSE_SUBMITTED)
    assert "kind" not in str(audit.after) and "pat@" not in str(audit.after)


def test_the_same_form_sent_twice_is_stored_once_with_one_receipt(client):
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    state = _walk(client, url)
    data = {"state": state, "page": 3, "action": "send", "receipt_email": "pat@example.org"}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    # Both lead to the same receipt (the links are signed with a timestamp, so compare
    # the pages they show, not the links themselves).
    reference = Response.objects.get().reference
    assert reference in client.get(first["Location"]).content.decode()
    assert reference in client.get(second["Location"]).content.decode()
    assert Response.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_missing_required_answer_is_shown_and_nothing_is_lost(client):
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    page = client.get(url)
    r = client.post(
        url,
        {
            "state": _state(page.content.decode()),
            "page": 0,
            "as": "organisation",
            "as__org": "",
            "action": "continue",
        },
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "There is a problem" in html
    assert "Enter the name of the organisation" in html
    assert "Select an answer to ‘Have you had care from a community nurse’" in html
    assert 'value="organisation" checked' in html


def test_the_conditional_question_is_skipped_when_not_relevant(client):
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    page = client.get(url)
    r = client.post(
        url,
        {
            "state": _state(page.content.decode()),
            "page": 0,
            "as": "individual",
            "used": "no",
            "action": "continue",
        },
    )
    html = r.content.decode()
    assert "Tell us about your experience" not in html
    r = client.post(url, {"state": _state(html), "page": 1, "action": "continue"})
    assert "About you" in r.content.decode()


def test_long_text_over_its_limit_is_refused_with_the_count(client):
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    page = client.get(url)
    r = client.post(
        url,
        {
            "state": _state(page.content.decode()),
            "page": 0,
            "as": "individual",
            "used": "yes",
            "action": "continue",
        },
    )
    r = client.post(
        url,
        {
            "state": _state(r.content.decode()),
            "page": 1,
            "experience": "x" * 501,
            "action": "continue",
        },
    )
    assert "must be 500 characters or fewer" in r.content.decode()
    assert "x" * 501 in r.content.decode()


def test_a_tampered_form_gets_a_clear_page(client):
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    r = client.post(url, {"state": "bogus", "page": 0, "action": "continue"})
    assert r.status_code == 400
    assert "Start the questions again" in r.content.decode()


def test_save_and_come_back_later_by_emailed_link(client):
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    page = client.get(url)
    r = client.post(
        url,
        {
            "state": _state(page.content.decode()),
            "page": 0,
            "as": "individual",
            "used": "yes",
            "action": "continue",
        },
    )
    r = client.post(
        url,
        {
            "state": _state(r.content.decode()),
            "page": 1,
            "experience": "Half written",
            "action": "save",
        },
    )
    r = client.post(
        url,
        {
            "state": _state(r.content.decode()),
            "page": 1,
            "action": "save_confirm",
            "email": "not-an-email",
        },
    )
    assert "correct format" in r.content.decode()
    r = client.post(
        url,
        {
            "state": _state(r.content.decode()),
            "page": 1,
            "action": "save_confirm",
            "email": "pat@example.org",
        },
    )
    assert "Your answers are saved" in r.content.decode()
    assert ResponseDraft.objects.count() == 1
    link = re.search(r"http://testserver(/\S+)", mail.outbox[-1].body)[1]
    resumed = client.get(link)
    assert "Half written" in resumed.content.decode()
    # Finish and send: the draft goes.
    state = _state(resumed.content.decode())
    r = client.post(
        url, {"state": state, "page": 1, "experience": "Finished now", "action": "continue"}
    )
    r = client.post(url, {"state": _state(r.content.decode()), "page": 2, "action": "continue"})
    r = client.post(url, {"state": _state(r.content.decode()), "page": 3, "action": "send"})
    assert r.status_code == 302
    assert ResponseDraft.objects.count() == 0
    assert Response.objects.get().answers.get(question__key="experience").text == "Finished now"
    gone = client.get(link)
    assert gone.status_code == 410 and "already been sent" in gone.content.decode()


def test_a_changed_resume_link_gets_a_way_forward(client):
    r = client.get(reverse("engagement_public:resume", args=["abc:def"]))
    assert r.status_code == 410
    assert "start again" in r.content.decode()


def test_closed_survey_refuses_with_a_clear_message(client):
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    state = _walk(client, url)
    Activity.objects.filter(pk=q.activity.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    r = client.post(url, {"state": state, "page": 3, "action": "send"})
    assert r.status_code == 409
    assert "This survey has closed" in r.content.decode()
    assert Response.objects.count() == 0


def test_late_responses_are_flagged_when_allowed(client):
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    state = _walk(client, url)
    Activity.objects.filter(pk=q.activity.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1), allow_late_responses=True
    )
    r = client.post(url, {"state": state, "page": 3, "action": "send"})
    assert r.status_code == 302
    assert Response.objects.get().late is True


def test_honeypot_and_too_fast_are_kept_out_and_logged(client, settings):
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    state = _walk(client, url)
    r = client.post(url, {"state": state, "page": 3, "action": "send", "website": "http://spam"})
    assert r.status_code == 200 and Response.objects.count() == 0
    settings.HEARD_RESPONSE_MIN_SECONDS = 3600
    r = client.post(url, {"state": state, "page": 3, "action": "send"})
    assert r.status_code == 400 and "quicker than we expected" in r.content.decode()
    assert Response.objects.count() == 0
    assert sorted(SpamLog.objects.values_list("reason", flat=True)) == ["honeypot", "too_fast"]


def test_rate_limit_per_address(client, settings):
    settings.HEARD_RESPONSES_PER_ADDRESS_PER_HOUR = 1
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    assert (
        client.post(url, {"state": _walk(client, url), "page": 3, "action": "send"}).status_code
        == 302
    )
    r = client.post(url, {"state": _walk(client, url), "page": 3, "action": "send"})
    assert r.status_code == 429
    assert "Too many responses" in r.content.decode()
    assert Response.objects.count() == 1
    assert SpamLog.objects.get().reason == "rate_limited"


def test_the_hook_is_called_inside_the_transaction(client):
    seen = []
    hook = seen.append
    hooks.on_response_submitted(hook)
    try:
        q = make_questionnaire()
        url = reverse("engagement_public:respond", args=[q.activity.slug])
        client.post(url, {"state": _walk(client, url), "page": 3, "action": "send"})
    finally:
        hooks._response_hooks.remove(hook)
    assert [r.pk for r in seen] == [Response.objects.get().pk]


def test_tell_us_what_you_think_is_always_open(client):
    url = reverse("engagement_public:feedback")
    page = client.get(url)
    assert page.status_code == 200
    r = client.post(
        url,
        {
            "state": _state(page.content.decode()),
            "page": 0,
            "feedback": "The pharmacy was great",
            "postcode": "nr1 3sr",
            "action": "continue",
        },
    )
    r = client.post(url, {"state": _state(r.content.decode()), "page": 1, "action": "send"})
    assert r.status_code == 302
    response = Response.objects.get()
    assert response.activity is None
    assert response.answers.get(question__key="postcode").value == "NR1 3SR"


def test_the_activity_page_offers_the_survey_when_open(client):
    q = make_questionnaire()
    r = client.get(reverse("engagement_public:activity", args=[q.activity.slug]))
    assert "Respond now" in r.content.decode()


def test_an_expired_resume_link_says_so_and_expired_drafts_are_removed(client):
    from heard.engagement import services_responses

    q = make_questionnaire()
    old = ResponseDraft.objects.create(
        token="0" * 32, questionnaire=q, state={}, expires_at=timezone.now() - timedelta(days=1)
    )
    r = client.get(reverse("engagement_public:resume", args=[services_responses.draft_sign(old)]))
    assert r.status_code == 410 and "This link has expired" in r.content.decode()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    page = client.get(url)
    client.post(
        url,
        {
            "state": _state(page.content.decode()),
            "page": 0,
            "action": "save_confirm",
            "email": "pat@example.org",
        },
    )
    assert list(ResponseDraft.objects.values_list("token", flat=True)) != [old.token]
    assert not ResponseDraft.objects.filter(pk=old.pk).exists()
    assert ResponseDraft.objects.count() == 1


def test_the_same_token_sent_at_the_same_moment_is_stored_once(transactional_db):
    import threading
    import uuid

    from django.db import connection

    from heard.engagement import services_responses

    if connection.vendor == "sqlite":
        pytest.skip(
            "the in-memory SQLite test database locks whole tables across threads; "
            "benchmarks/responses_submit.py covers concurrent resends on an SQLite file"
        )
    q = make_questionnaire()
    version = q.current_version()
    raw = {"as": "individual", "used": "no"}
    token = uuid.uuid4()
    results, errors = [], []
    barrier = threading.Barrier(4)

    def send():
        try:
            barrier.wait()
            results.append(
                services_responses.response_submit(
                    version=version, raw=raw, token=token, publish_consent=False
                )
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Response.objects.count() == 1
    assert {r.pk for r, _ in results} == {Response.objects.get().pk}
    assert sorted(created for _, created in results) == [False, False, False, True]


def test_every_structured_question_type_through_the_web_form(client):
    activity = ActivityFactory()
    q = Questionnaire.objects.create(activity=activity, title=activity.title)
    v = QuestionnaireVersion.objects.create(questionnaire=q, number=1)
    s = Section.objects.create(version=v, position=1, title="Details")
    K = Question.Kind
    for n, (key, kind, extra) in enumerate(
        [
            ("rank", K.RANKING, {"options": [["a", "Alpha"], ["b", "Beta"], ["c", "Gamma"]]}),
            ("when", K.DATE, {}),
            ("visits", K.NUMBER, {"min_value": 0, "max_value": 50}),
            ("postcode", K.POSTCODE, {}),
            ("pick", K.SINGLE_CHOICE, {"options": [["x", "Ex"], ["y", "Why"]]}),
            ("name", K.SHORT_TEXT, {}),
        ]
    ):
        Question.objects.create(
            version=v, section=s, key=key, position=n, kind=kind, text=key.title(), **extra
        )
    url = reverse("engagement_public:respond", args=[activity.slug])
    page = client.get(url).content.decode()
    assert 'name="rank__b"' in page and 'name="when__day"' in page
    bad = {
        "state": _state(page),
        "page": 0,
        "rank__a": "1",
        "rank__b": "1",
        "when__day": "31",
        "when__month": "2",
        "when__year": "2026",
        "visits": "fifty-one",
        "postcode": "nowhere",
        "pick": "x",
        "name": "Sam",
        "action": "continue",
    }
    r = client.post(url, bad)
    html = r.content.decode()
    assert r.status_code == 400
    for message in (
        "Give each option a different number",
        "Enter a real date",
        "Enter a whole number",
        "Enter a full UK postcode",
    ):
        assert message in html
    assert 'value="31"' in html  # the date kept as typed
    good = {**bad, "state": _state(html), "rank__b": "2", "rank__c": "3", "when__day": "27"}
    good.update({"when__month": "3", "visits": "12", "postcode": "nr1 3sr"})
    r = client.post(url, good)
    assert "Check your answers and send" in r.content.decode()
    assert "1. Alpha; 2. Beta; 3. Gamma" in r.content.decode()
    assert "27 March 2026" in r.content.decode()
    r = client.post(url, {"state": _state(r.content.decode()), "page": 1, "action": "send"})
    assert r.status_code == 302
    values = {a.question.key: a.value for a in Response.objects.get().answers.all()}
    assert values["rank"] == ["a", "b", "c"]
    assert values["when"] == "2026-03-27"
    assert values["visits"] == 12
    assert values["postcode"] == "NR1 3SR"
    assert values["pick"] == "x"


def test_an_online_response_becomes_an_insight_after_it_commits(client, monkeypatch):
    from heard.insight.models import Insight

    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    state = _walk(client, url, experience="The district nurse listened to me.")
    at_commit = []  # (this module runs on-commit work at once; hold it back here)
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: at_commit.append(fn))
    r = client.post(url, {"state": state, "page": 3, "action": "send"})
    assert r.status_code == 302
    # Nothing of the insight bank is written in the transaction that stores the response.
    assert Response.objects.count() == 1 and not Insight.objects.exists()
    for fn in at_commit:  # the commit (the immediate task backend runs the task)
        fn()
    insight = Insight.objects.get()
    assert insight.response_id == Response.objects.get().pk
    assert insight.text == "The district nurse listened to me." and insight.channel == "online"


def test_sending_costs_a_fixed_number_of_queries(client, monkeypatch, django_assert_num_queries):
    """Locks in the cost of the busy path: the questionnaire; then, in one transaction,
    the response, its answers, its equality answers, the chain head, the audit event and
    the new head. (The version is cached once it has responses; the rate-limit counter
    is in the cache, memory in tests; the insight bank's work comes after the commit.)"""
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    states = [_walk(client, url) for _ in range(3)]
    for state in states[:2]:  # the first response freezes the version, the second caches it
        client.post(url, {"state": state, "page": 3, "action": "send"})
    at_commit = []
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: at_commit.append(fn))
    with django_assert_num_queries(9):
        r = client.post(url, {"state": states[2], "page": 3, "action": "send"})
    assert r.status_code == 302 and len(at_commit) == 1


def test_the_shared_rate_count_is_read_at_most_once_a_second_per_process(monkeypatch):
    q = make_questionnaire()
    reads = []
    real_get = services_responses.cache.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(services_responses.cache, "get", counting_get)
    started = timezone.now().timestamp() - 60
    for _ in range(3):
        assert not services_responses.spam_check(
            questionnaire_obj=q, address="192.0.2.7", honeypot="", started_at=started
        )
    assert len(reads) == 1
    # Another process's counts (in the cache) are seen once the second has passed.
    services_responses.cache.set(services_responses._rate_key("192.0.2.7"), 10**6)
    key = services_responses._rate_key("192.0.2.7")
    seen_at, value = services_responses._shared[key]
    services_responses._shared[key] = (seen_at - services_responses.FLUSH_SECONDS, value)
    assert (
        services_responses.spam_check(
            questionnaire_obj=q, address="192.0.2.7", honeypot="", started_at=started
        )
        == "rate_limited"
    )


def test_a_process_writes_an_address_count_early_at_a_sixth_of_the_hourly_limit(settings):
    for limit, due in ((30, 5), (1, 1), (12, 2), (10**9, 1000)):
        settings.HEARD_RESPONSES_PER_ADDRESS_PER_HOUR = limit
        assert services_responses._flush_count() == due


def test_references_read_out_easily_and_use_every_letter_of_their_alphabet():
    import re
    from collections import Counter

    refs = [services_responses.reference_new() for _ in range(4000)]
    assert all(re.fullmatch(r"HYS-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", r) for r in refs)
    counts = Counter("".join(r[4:8] + r[9:] for r in refs))
    assert set(counts) == set(services_responses.REFERENCE_ALPHABET)
    # 32,000 letters: each close to 1,000 (a biased mapping would show far outside this)
    assert all(800 < n < 1200 for n in counts.values())
    assert len(set(refs)) == len(refs)


def test_a_respondent_downloads_a_copy_of_their_own_answers(client, monkeypatch):
    import io
    import time as time_module

    from pypdf import PdfReader

    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    state = _walk(client, url, experience="The nurse came at 5pm and was kind.")
    r = client.post(url, {"state": state, "page": 3, "action": "send"})
    received = client.get(r["Location"]).content.decode()
    link = re.search(r'href="(/get-involved/respond/your-answers/[^"]+)"', received)[1]
    assert "Download a copy of your answers (PDF)" in received
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "no-store"
    reference = Response.objects.get().reference
    assert reference in pdf["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "The nurse came at 5pm and was kind." in text
    assert "Time to talk, Same nurse" in text and reference in text
    assert "65" not in text  # the equality answer (age band 65 to 74) is not in the copy
    # A changed link, and the same link after an hour, get a clear page, not the answers.
    assert client.get(link[:-3] + "xyz/").status_code == 410
    later = time_module.time() + 2 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    expired = client.get(link)
    assert expired.status_code == 410
    assert "has expired" in expired.content.decode()


def test_page_numbers_never_change_under_a_respondent(client):
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    first = client.get(url).content.decode()
    assert "page 1 of 4" in first  # every respondent sees four pages
    # Now a whole page is shown only to those who had care from a nurse: the length
    # depends on the answers, so the page does not promise a total.
    Question.objects.filter(version__questionnaire=q, key__in=["agree", "matters"]).delete()
    selectors_responses.public_cache_clear()
    first = client.get(url).content.decode()
    assert "page 1</span>" in first and "page 1 of" not in first


def test_each_answer_has_its_own_change_link_on_the_check_page(client):
    q = make_questionnaire()
    url = reverse("engagement_public:respond", args=[q.activity.slug])
    state = _walk(client, url)
    html = client.post(url, {"state": state, "page": 3, "action": "goto-3"}).content.decode()
    assert "Check your answers and send" in html
    # One per answer shown (equality answers are kept apart and not listed).
    assert html.count('Change<span class="nhsuk-u-visually-hidden"> your answer to') == 5
    text = re.sub(r"<[^>]+>", "", html)
    assert "Change your answer to ‘Nurses should visit in the evening’" in text
    # Its button takes the respondent to the page of that answer, answers kept.
    r = client.post(url, {"state": _state(html), "page": 3, "action": "goto-1"})
    body = r.content.decode()
    assert "Your views" in body and "The nurse was kind and on time." in body


def test_the_questionnaire_prints_on_paper_with_every_question(client):
    import io

    from pypdf import PdfReader

    q = make_questionnaire()
    page = client.get(reverse("engagement_public:activity", args=[q.activity.slug]))
    link = reverse("engagement_public:respond_paper", args=[q.activity.slug])
    assert link in page.content.decode()
    r = client.get(link)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    flat = " ".join(text.split())
    # Every question, numbered; the condition said in words; the boxes' labels; the
    # "about you" questions with "prefer not to say"; how to send it back.
    assert "1. Are you responding as an individual or for an organisation? (required)" in flat
    assert "Tell us about your experience" in flat
    assert (
        "Answer this only if you answered ‘Yes’ to ‘Have you had care from a community nurse?’"
        in flat
    )
    assert "Time to talk" in flat and "Same nurse" in flat and "Tick all that apply." in flat
    assert "Strongly disagree" in flat and "Prefer not to say" in flat
    assert "How to send it back" in flat
    # A draft activity has no paper form for the public.
    q.activity.status = "draft"
    q.activity.save()
    assert client.get(link).status_code == 404
