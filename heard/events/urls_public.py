from django.urls import path

from heard.events import views_public as views

app_name = "events_public"

urlpatterns = [
    path("<slug:slug>/book/", views.book, name="book"),
    path("<slug:slug>/booked/", views.booked, name="booked"),
    path("cancel/<str:token>/", views.cancel, name="cancel"),
]
