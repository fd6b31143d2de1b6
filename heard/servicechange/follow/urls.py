from django.urls import path

from heard.servicechange.follow import views

app_name = "follow"

urlpatterns = [
    path("", views.start, name="start"),
    path("check-your-email/", views.check_email, name="check_email"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
