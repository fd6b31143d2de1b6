from django.urls import path

from heard.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="events"),
    path("export.jsonl", views.event_export, name="export"),
]
