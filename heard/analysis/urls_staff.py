from django.urls import path

from heard.analysis import views

app_name = "analysis"

urlpatterns = [
    path("", views.index, name="index"),
    path("questions/<int:pk>/", views.question, name="question"),
    path("questions/<int:pk>/run/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/status/", views.run_status, name="run_status"),
    path("questions/<int:pk>/codeframe/", views.codeframe, name="codeframe"),
    path("questions/<int:pk>/codeframe/sign-off/", views.sign_off, name="sign_off"),
    path("questions/<int:pk>/codeframe/add/", views.theme_add, name="theme_add"),
    path("themes/<int:pk>/edit/", views.theme_edit, name="theme_edit"),
    path("themes/<int:pk>/merge/", views.theme_merge, name="theme_merge"),
    path("themes/<int:pk>/split/", views.theme_split, name="theme_split"),
    path("themes/<int:pk>/delete/", views.theme_delete, name="theme_delete"),
    path("questions/<int:pk>/review/", views.review, name="review"),
    path("questions/<int:pk>/bulk/", views.bulk, name="bulk"),
    path("answers/<int:pk>/review/", views.review_answer, name="review_answer"),
    path("questions/<int:pk>/agreement/", views.agreement, name="agreement"),
    path("questions/<int:pk>/groups/", views.groups, name="groups"),
]
