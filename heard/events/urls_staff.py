from django.urls import path

from heard.events import views_staff as views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("<int:pk>/access-needs/", views.access_needs, name="access_needs"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/bookings/<int:booking_pk>/cancel/", views.booking_cancel, name="booking_cancel"),
]
