"""The membership scheme's public pages (namespace "members", mounted at the site root)."""

from django.urls import path

from heard.people import views_public as views

app_name = "members"

urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/check-your-email/", views.join_check_email, name="join_check_email"),
    path("join/confirm/<str:token>/", views.verify, name="verify"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/check-your-email/", views.sign_in_check_email, name="sign_in_check_email"),
    path("sign-in/link/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("my-account/", views.account, name="account"),
    path("my-account/details/", views.account_details, name="account_details"),
    path("my-account/email/", views.email_change, name="email_change"),
    path(
        "my-account/email/confirm/<str:token>/",
        views.email_change_confirm,
        name="email_change_confirm",
    ),
    path("my-account/equality/", views.equality, name="equality"),
    path("my-account/download/", views.download, name="download"),
    path("my-account/delete/", views.delete, name="delete"),
    path("my-account/deleted/", views.deleted, name="deleted"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
