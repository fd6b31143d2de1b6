from django.urls import path

from heard.servicechange.outcomes import views_public

app_name = "outcomes_public"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("activities/<slug:slug>/", views_public.activity, name="activity"),
    path(
        "activities/<slug:slug>/version-<int:pk>/",
        views_public.activity_version,
        name="activity_version",
    ),
    path("<slug:slug>/", views_public.detail, name="detail"),
    path("<slug:slug>/version-<int:pk>/", views_public.version, name="version"),
]
