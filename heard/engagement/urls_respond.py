"""Questionnaire pages: public responding (``public_patterns``, under /get-involved/) and
staff building, data entry and import (``staff_patterns``, under /staff/activities/)."""

from django.urls import path

from heard.engagement import views_builder, views_entry, views_respond

public_patterns = [
    path("respond/tell-us-what-you-think/", views_respond.feedback, name="feedback"),
    path("respond/resume/<str:signed>/", views_respond.resume, name="resume"),
    path("respond/received/<str:signed>/", views_respond.received, name="received"),
    path("respond/your-answers/<str:signed>/", views_respond.received_copy, name="received_copy"),
    path("<slug:slug>/respond/", views_respond.respond, name="respond"),
    path("<slug:slug>/respond/paper.pdf", views_respond.paper, name="respond_paper"),
]

staff_patterns = [
    path("<int:pk>/questionnaire/", views_builder.builder, name="builder"),
    path("<int:pk>/questionnaire/create/", views_builder.create, name="builder_create"),
    path("<int:pk>/questionnaire/preview/", views_builder.preview, name="builder_preview"),
    path("<int:pk>/questionnaire/details/", views_builder.details, name="builder_details"),
    path("<int:pk>/questionnaire/section/", views_builder.section_edit, name="builder_section"),
    path(
        "<int:pk>/questionnaire/section/<int:section_id>/delete/",
        views_builder.section_delete,
        name="builder_section_delete",
    ),
    path("<int:pk>/questionnaire/question/", views_builder.question_edit, name="builder_question"),
    path("<int:pk>/questionnaire/publish/", views_builder.draft_publish, name="builder_publish"),
    path("<int:pk>/questionnaire/discard/", views_builder.draft_discard, name="builder_discard"),
    path(
        "<int:pk>/questionnaire/question/<int:question_id>/delete/",
        views_builder.question_delete,
        name="builder_question_delete",
    ),
    path(
        "<int:pk>/questionnaire/question/<int:question_id>/move/",
        views_builder.question_move,
        name="builder_question_move",
    ),
    path("<int:pk>/responses/", views_entry.responses, name="responses"),
    path("<int:pk>/responses/enter/", views_entry.enter, name="responses_enter"),
    path("<int:pk>/responses/find/", views_entry.response_find, name="response_find"),
    path("<int:pk>/responses/import/", views_entry.import_upload, name="responses_import"),
    path(
        "<int:pk>/responses/imports/<int:import_pk>/",
        views_entry.import_detail,
        name="responses_import_detail",
    ),
    path(
        "<int:pk>/responses/imports/<int:import_pk>/rejected.csv",
        views_entry.import_rejected,
        name="responses_import_rejected",
    ),
    path(
        "<int:pk>/responses/imports/<int:import_pk>/stop/",
        views_entry.import_cancel,
        name="responses_import_cancel",
    ),
    path(
        "<int:pk>/responses/imports/<int:import_pk>/remove/",
        views_entry.import_delete,
        name="responses_import_delete",
    ),
    # Last: a reference matches any single path segment.
    path(
        "<int:pk>/responses/<str:reference>/",
        views_entry.response_detail,
        name="response_detail",
    ),
]
