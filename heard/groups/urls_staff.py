from django.urls import path

from heard.groups import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/settings/", views.group_settings, name="settings"),
    path("<int:pk>/terms-of-reference/", views.terms_of_reference, name="terms_of_reference"),
    path("<int:pk>/terms/add/", views.term_add, name="term_add"),
    path("<int:pk>/terms/<int:term_pk>/end/", views.term_end, name="term_end"),
    path("<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/papers/", views.paper_upload, name="paper_upload"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("meetings/<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("minutes/<int:pk>/heard/", views.heard_add, name="heard_add"),
    path("minutes/<int:pk>/approve/", views.minutes_approve, name="minutes_approve"),
    path("minutes/<int:pk>/correct/", views.minutes_correct, name="minutes_correct"),
    path("minutes/<int:pk>/publish/", views.minutes_publish, name="minutes_publish"),
]
