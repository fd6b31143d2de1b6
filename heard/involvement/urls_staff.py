from django.urls import URLPattern

app_name = "involvement"

urlpatterns: list[URLPattern] = []
