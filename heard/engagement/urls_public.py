from django.urls import include, path

from heard.engagement import views_formats
from heard.engagement import views_public as views
from heard.engagement.urls_respond import public_patterns as respond_patterns

app_name = "engagement_public"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("feed.atom", views.ActivityFeed(), name="feed"),
    path("events.ics", views.events_ical, name="events_ical"),
    path("<slug:slug>/", views.activity_detail, name="activity"),
    path(
        "<slug:slug>/other-formats/",
        views_formats.format_request_public,
        name="format_request",
    ),
    path("", include(respond_patterns)),  # questionnaires and responses
]
