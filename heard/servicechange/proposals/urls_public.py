from django.urls import path

from heard.servicechange.proposals import views_public as views

app_name = "proposals_public"

urlpatterns = [
    path("", views.index, name="index"),
]
