from django.urls import path

from heard.involvement import views

app_name = "involvement"

urlpatterns = [
    path("", views.opportunity_list, name="opportunities"),
    path("new/", views.opportunity_create, name="opportunity_create"),
    path("<int:pk>/", views.opportunity_detail, name="opportunity"),
    path("<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("<int:pk>/status/", views.opportunity_status, name="opportunity_status"),
    path("<int:pk>/mail-progress/", views.mail_progress, name="mail_progress"),
    path("<int:pk>/mail-retry/", views.mail_retry, name="mail_retry"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/sample/", views.sample_new, name="sample_new"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("samples/<int:pk>/", views.sample_detail, name="sample"),
    path("samples/<int:pk>/send/", views.sample_send, name="sample_send"),
    path("participation/", views.participation, name="participation"),
    path("reach/", views.reach, name="reach"),
    path("populations/", views.populations, name="populations"),
    path("retention/", views.retention_page, name="retention"),
    path("retention/run/", views.retention_run_now, name="retention_run"),
]
