from django.urls import path

from heard.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("", views.index, name="index"),
    path("proposal/<int:pk>/", views.proposal, name="proposal"),
    path("proposal/<int:pk>/theme/<int:theme_id>/", views.theme_response, name="theme"),
    path("proposal/<int:pk>/text/", views.outcome_text, name="text"),
    path("proposal/<int:pk>/issue/", views.issue, name="issue"),
    path("proposal/<int:pk>/decision/", views.decision, name="decision"),
    path("proposal/<int:pk>/report/", views.report, name="report"),
    path("proposal/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("proposal/<int:pk>/board-paper/", views.board_paper, name="board_paper"),
]
