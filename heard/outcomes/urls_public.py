from django.urls import path  # noqa: F401

app_name = "outcomes_public"

urlpatterns: list = []
