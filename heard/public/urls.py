from django.urls import path

from heard.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("how-we-involve-people/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
]
