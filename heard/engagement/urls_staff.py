from django.urls import include, path

from heard.engagement import views_formats
from heard.engagement import views_staff as views
from heard.engagement.urls_respond import staff_patterns as respond_patterns

app_name = "engagement"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/status/", views.activity_transition, name="transition"),
    path("<int:pk>/feedback/", views.activity_feedback, name="feedback"),
    path("<int:pk>/documents/", views_formats.documents, name="documents"),
    path("format-requests/", views_formats.format_requests, name="format_requests"),
    path(
        "format-requests/<int:pk>/close/",
        views_formats.format_request_close,
        name="format_request_close",
    ),
    path("responses/erase/", views.response_erase, name="response_erase"),
    path("", include(respond_patterns)),  # questionnaires and responses
]
