"""Follow and be told: double opt-in, news once per change, one-click unsubscribe."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from heard.engagement.models import Activity, ActivityLocality
from heard.engagement.tests.factories import ActivityFactory
from heard.servicechange.follow import domain, services
from heard.servicechange.follow.models import Follow, Follower, Notification
from heard.servicechange.proposals.models import Proposal, ProposalActivity
from heard.servicechange.proposals.tests.helpers import make_proposal, topic

BASE = "http://testserver"


# --- pure --------------------------------------------------------------------------


def test_changes_named_from_two_snapshots():
    scheduled = {"status": "scheduled", "opens_at": "a", "closes_at": "b", "event_starts_at": ""}
    opened = {**scheduled, "status": "open"}
    moved = {**opened, "closes_at": "c"}
    published = {**moved, "status": "feedback_published"}
    assert [c.kind for c in domain.activity_changes(1, scheduled, opened)] == ["opened"]
    assert [c.kind for c in domain.activity_changes(1, opened, moved)] == ["dates"]
    assert [c.kind for c in domain.activity_changes(1, moved, published)] == ["feedback"]
    assert domain.activity_changes(1, opened, opened) == []
    assert [c.kind for c in domain.activity_changes(1, None, opened)] == ["opened"]
    assert domain.activity_changes(1, None, scheduled) == []  # new, not open: no news
    assert [
        c.kind
        for c in domain.proposal_changes(2, {"status": "decision_pending"}, {"status": "decided"})
    ] == ["decided"]
    assert domain.proposal_changes(2, {"status": "decided"}, {"status": "decided"}) == []
    a = domain.activity_changes(1, opened, moved)[0].key
    b = domain.activity_changes(1, moved, {**moved, "closes_at": "d"})[0].key
    assert a != b  # a second change of date is news again


# --- services and pages ----------------------------------------------------------------


def _confirm_url(message) -> str:
    match = re.search(r"http\S+/follow/confirm/\S+/", message.body)
    assert match is not None
    return match.group(0).replace(BASE, "")


@pytest.mark.django_db
def test_follow_a_topic_with_double_opt_in_then_told_once_when_an_activity_opens(
    client, django_capture_on_commit_callbacks
):
    care = topic("Urgent care")
    activity = ActivityFactory(status=Activity.Status.SCHEDULED, title="Urgent care at the coast")
    activity.topics.add(care)
    services.notify_run(base_url=BASE)  # first run: the baseline, no news
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("follow:start"),
            {"email": "Pat@Example.org", "topics": [str(care.pk)], "frequency": "now"},
        )
    assert r.status_code == 302
    (confirm_mail,) = mail.outbox
    assert confirm_mail.to == ["pat@example.org"] and "Urgent care" in confirm_mail.body
    mail.outbox.clear()

    # Not confirmed yet: nothing is sent.
    activity.status = Activity.Status.OPEN
    activity.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_run(base_url=BASE) == 0
    assert mail.outbox == []

    url = _confirm_url(confirm_mail)
    assert "Yes, email me about these" in client.get(url).content.decode()
    assert "You are following" in client.post(url).content.decode()
    assert Follow.objects.get().confirmed_at is not None

    activity.closes_at = activity.closes_at + timedelta(days=7)
    activity.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_run(base_url=BASE) == 1
        assert services.notify_run(base_url=BASE) == 0  # nothing sent twice
    (news,) = mail.outbox
    assert "Urgent care at the coast has changed its dates" in news.body
    assert "/follow/unsubscribe/" in news.extra_headers["List-Unsubscribe"]
    assert news.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_a_follower_of_a_proposal_is_told_when_it_is_decided_and_of_its_activities(
    django_capture_on_commit_callbacks,
):
    proposal = make_proposal()
    Proposal.objects.filter(pk=proposal.pk).update(status="decision_pending")
    activity = ActivityFactory(status=Activity.Status.CLOSED)
    ProposalActivity.objects.create(proposal=proposal, activity=activity)
    follower = Follower.objects.create(email="sam@example.org")
    Follow.objects.create(
        follower=follower,
        kind="proposal",
        key=str(proposal.pk),
        label=proposal.title,
        confirmed_at=timezone.now(),
    )
    # A second route to the same activity: an area. Told once all the same.
    ActivityLocality.objects.create(activity=activity, name="Norwich")
    Follow.objects.create(
        follower=follower, kind="area", key="Norwich", label="Norwich", confirmed_at=timezone.now()
    )
    services.notify_run(base_url=BASE)
    Proposal.objects.filter(pk=proposal.pk).update(status="decided")
    Activity.objects.filter(pk=activity.pk).update(
        status="feedback_published", feedback="You said; we did."
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_run(base_url=BASE) == 1
    (news,) = mail.outbox
    assert f"{proposal.title} has been decided" in news.body
    assert news.body.count("you said, we did") == 1
    assert f"/what-we-are-working-on/{proposal.slug}/" in news.body


@pytest.mark.django_db
def test_one_click_unsubscribe_without_signing_in(client):
    follower = Follower.objects.create(email="sam@example.org")
    Follow.objects.create(
        follower=follower, kind="area", key="Norwich", label="Norwich", confirmed_at=timezone.now()
    )
    url = reverse("follow:unsubscribe", args=[services.unsubscribe_token(follower)])
    assert "Stop all these emails" in client.get(url).content.decode()
    assert Follow.objects.exists()  # GET (a mail scanner) changes nothing
    csrf_client = client.__class__(enforce_csrf_checks=True)
    r = csrf_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert r.status_code == 200 and "You will not get these emails again" in r.content.decode()
    assert not Follow.objects.exists()
    follower.refresh_from_db()
    assert follower.unsubscribed_at is not None
    assert client.post(url).status_code == 200  # twice: still fine
    bad = client.get(reverse("follow:unsubscribe", args=["nonsense"]))
    assert bad.status_code == 404 and "This link is not valid" in bad.content.decode()


@pytest.mark.django_db
def test_an_expired_confirmation_link_says_so_and_confirms_nothing(client, monkeypatch):
    follower = Follower.objects.create(email="sam@example.org")
    follow = Follow.objects.create(follower=follower, kind="area", key="Norwich", label="Norwich")
    token = signing.dumps({"f": follower.pk, "p": [follow.pk]}, salt=services.CONFIRM_SALT)
    monkeypatch.setattr(services, "CONFIRM_MAX_AGE", -1)
    url = reverse("follow:confirm", args=[token])
    r = client.post(url)
    assert r.status_code == 410 and "This link has expired" in r.content.decode()
    follow.refresh_from_db()
    assert follow.confirmed_at is None


@pytest.mark.django_db
def test_the_form_needs_an_email_and_something_to_follow(client):
    r = client.post(reverse("follow:start"), {"email": "x"})
    body = r.content.decode()
    assert "Enter an email address in the correct format" in body
    assert "Choose at least one thing to follow" in body
    assert not Follower.objects.exists()


@pytest.mark.django_db
def test_a_public_proposal_page_offers_to_follow_it(client):
    proposal = make_proposal()
    Proposal.objects.filter(pk=proposal.pk).update(status="early_engagement")
    page = client.get(reverse("proposals_public:detail", args=[proposal.slug])).content.decode()
    assert f"/follow/?proposal={proposal.slug}" in page
    form = client.get(reverse("follow:start") + f"?proposal={proposal.slug}").content.decode()
    assert re.search(rf'value="{proposal.pk}"[^>]*checked', form)


@pytest.mark.django_db
def test_confirmation_emails_to_one_address_are_limited(django_capture_on_commit_callbacks):
    targets = [services.Target(kind="area", key="Norwich", label="Norwich")]
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            services.follow_request(email="sam@example.org", targets=targets, base_url=BASE)
    assert len(mail.outbox) == services.CONFIRMATIONS_PER_ADDRESS_PER_HOUR
    assert Follow.objects.count() == 1


@pytest.mark.django_db
def test_a_weekly_digest_gathers_the_news_and_sends_it_once_a_week(
    client, django_capture_on_commit_callbacks
):
    care = topic("Urgent care")
    first = ActivityFactory(status=Activity.Status.SCHEDULED, title="Coast survey")
    second = ActivityFactory(status=Activity.Status.SCHEDULED, title="City workshop")
    for a in (first, second):
        a.topics.add(care)
    services.notify_run(base_url=BASE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("follow:start"),
            {"email": "kim@example.org", "topics": [str(care.pk)], "frequency": "weekly"},
        )
    client.post(_confirm_url(mail.outbox[0]))
    assert Follower.objects.get().frequency == "weekly"
    mail.outbox.clear()
    now = timezone.now()
    Activity.objects.filter(pk=first.pk).update(status="open")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_run(base_url=BASE, now=now + timedelta(days=1)) == 0
    Activity.objects.filter(pk=second.pk).update(status="open")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_run(base_url=BASE, now=now + timedelta(days=3)) == 0
        assert services.notify_run(base_url=BASE, now=now + timedelta(days=7, minutes=1)) == 1
        assert services.notify_run(base_url=BASE, now=now + timedelta(days=8)) == 0
    (digest,) = mail.outbox
    assert digest.subject == "Your digest: news about what you follow"
    assert "Coast survey is open" in digest.body and "City workshop is open" in digest.body
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
