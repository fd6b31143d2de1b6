from django.urls import path

from heard.servicechange.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("", views.index, name="index"),
    path("proposal/<int:pk>/", views.proposal, name="proposal"),
    path("proposal/<int:pk>/theme/<int:theme_id>/", views.theme_response, name="theme"),
    path("proposal/<int:pk>/text/", views.outcome_text, name="text"),
    path("proposal/<int:pk>/issue/", views.issue, name="issue"),
    path("proposal/<int:pk>/report/", views.report, name="report"),
    path("proposal/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("proposal/<int:pk>/board-paper/", views.board_paper, name="board_paper"),
    path("proposal/<int:pk>/report/v<int:version>/", views.report_version, name="report_version"),
    path(
        "proposal/<int:pk>/report/v<int:version>.pdf",
        views.report_version_pdf,
        name="report_version_pdf",
    ),
    path("proposal/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("proposal/<int:pk>/late-response/", views.late_response, name="late_response"),
    path("proposal/<int:pk>/publish/", views.publication_submit, name="publication_submit"),
    path("activity/<int:pk>/feedback/", views.feedback_submit, name="feedback_submit"),
    path("publications/", views.publications, name="publications"),
    path("publications/<int:pk>/", views.publication, name="publication"),
]
