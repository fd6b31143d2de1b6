from django.urls import path

from heard.accounts import views_staff as views

app_name = "users"

urlpatterns = [
    path("", views.user_list, name="list"),
    path("invite/", views.user_invite, name="invite"),
    path("<int:pk>/", views.user_detail, name="detail"),
    path("<int:pk>/switch/", views.user_toggle_active, name="toggle_active"),
    path("<int:pk>/reset-two-factor/", views.user_reset_two_factor, name="reset_two_factor"),
]
