from django.urls import path

from heard.involvement import views_public

app_name = "invitations"

urlpatterns = [
    path("accept/<str:token>/", views_public.answer, {"answer": "accept"}, name="accept"),
    path("decline/<str:token>/", views_public.answer, {"answer": "decline"}, name="decline"),
]
