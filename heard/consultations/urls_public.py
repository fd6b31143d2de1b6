from django.urls import path

from heard.consultations import views

app_name = "consultations_public"

urlpatterns = [
    path("<slug:slug>/", views.public_detail, name="detail"),
]
