"""The public "Get involved" hub, each activity's page, and its Atom and iCalendar feeds."""

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from heard.engagement import calendar, domain, hooks, selectors
from heard.engagement.models import Activity
from heard.people.models import Topic
from heard.people.postcodes import LOCALITIES

TABS = (("open", "Open now"), ("forthcoming", "Coming soon"), ("closed", "Closed"))


def hub(request: HttpRequest) -> HttpResponse:
    when = request.GET.get("when", "open")
    if when not in dict(TABS):
        when = "open"
    topic = request.GET.get("topic", "")
    locality = request.GET.get("area", "")
    q = request.GET.get("q", "").strip()[:200]
    activities = selectors.public_activities(when=when, topic=topic, locality=locality, q=q)
    page = Paginator(activities, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "engagement/public/hub.html",
        {
            "page": page,
            "when": when,
            "tabs": TABS,
            "topic": topic,
            "area": locality,
            "q": q,
            "topics": Topic.objects.filter(active=True),
            "localities": LOCALITIES,
            "query": query.urlencode(),
            "filtered": bool(topic or locality or q),
        },
    )


def activity_detail(request: HttpRequest, slug: str) -> HttpResponse:
    activity = selectors.public_activity(slug)
    if activity is None:
        raise Http404("No such activity")
    status = selectors.effective_status(activity)
    ended = status == domain.Status.OPEN and selectors.event_over(activity)
    if ended:
        # as the hub lists it: nobody can come to an event that is over
        status = domain.Status.CLOSED
    return render(
        request,
        "engagement/public/activity.html",
        {
            "activity": activity,
            "status": status,
            "status_label": domain.STATUS_LABELS[status],
            "promise": domain.LEVEL_PROMISES[domain.Level(activity.level)],
            "is_open": status == domain.Status.OPEN,
            # "you said, we did": only the approved publication, never the draft text
            "feedback": hooks.feedback_publication(activity),
            "actions": hooks.public_activity_actions(activity),
            "event_ended": ended,
            "related": hooks.public_activity_related(activity),
        },
    )


class ActivityFeed(Feed):
    """Atom feed of open and forthcoming activities."""

    feed_type = Atom1Feed
    link = "/get-involved/"

    def title(self) -> str:
        return f"{settings.HEARD_SITE_NAME}: get involved – {settings.HEARD_ORGANISATION_NAME}"

    def subtitle(self) -> str:
        return "Surveys, events and consultations you can take part in."

    def items(self) -> list[Activity]:
        now = timezone.now()
        return [
            *selectors.public_activities(when="open", now=now),
            *selectors.public_activities(when="forthcoming", now=now),
        ][:50]

    def item_title(self, item: Activity) -> str:
        return item.title

    def item_description(self, item: Activity) -> str:
        return item.summary

    def item_link(self, item: Activity) -> str:
        return reverse("engagement_public:activity", args=[item.slug])

    def item_pubdate(self, item: Activity) -> object:
        return item.opens_at or item.created_at

    def item_updateddate(self, item: Activity) -> object:
        return item.updated_at


def events_ical(request: HttpRequest) -> HttpResponse:
    """iCalendar (RFC 5545) feed of events: subscribe in any calendar app."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Heard//Get involved//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{settings.HEARD_SITE_NAME} events")
    host = request.get_host().split(":")[0]
    for activity in selectors.public_events():
        starts = activity.event_starts_at
        if starts is None:
            continue
        event = calendar.activity_vevent(
            activity,
            uid=f"activity-{activity.pk}@{host}",
            url=request.build_absolute_uri(
                reverse("engagement_public:activity", args=[activity.slug])
            ),
        )
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response
