from django.urls import path

from heard.outcomes import views_public

app_name = "outcomes_public"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("<slug:slug>/", views_public.detail, name="detail"),
]
