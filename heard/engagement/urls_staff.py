from django.urls import include, path

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
    path("", include(respond_patterns)),  # questionnaires and responses
]
