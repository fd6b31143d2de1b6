from django.urls import path

from heard.servicechange.assessment import views

app_name = "assessment"

urlpatterns = [
    # Options appraisal
    path("<int:pk>/options/", views.options, name="options"),
    path("<int:pk>/options/add/", views.option_add, name="option_add"),
    path("<int:pk>/options/<int:option_id>/", views.option_edit, name="option_edit"),
    path("<int:pk>/criteria/", views.criteria, name="criteria"),
    path("<int:pk>/criteria/add/", views.criterion_add, name="criterion_add"),
    path("<int:pk>/criteria/<int:criterion_id>/", views.criterion_edit, name="criterion_edit"),
    path(
        "<int:pk>/criteria/<int:criterion_id>/remove/",
        views.criterion_remove,
        name="criterion_remove",
    ),
    path("<int:pk>/criteria/agreed/", views.weights_agreed, name="weights_agreed"),
    path("<int:pk>/panels/", views.panels, name="panels"),
    path("<int:pk>/panels/add/", views.panel_add, name="panel_add"),
    path("<int:pk>/panels/<int:panel_id>/", views.panel_edit, name="panel_edit"),
    path("<int:pk>/panels/<int:panel_id>/scores/", views.panel_scores, name="panel_scores"),
    path("<int:pk>/panels/<int:panel_id>/remove/", views.panel_remove, name="panel_remove"),
    path("<int:pk>/results/", views.results, name="results"),
    # Significance
    path("<int:pk>/significance/", views.significance_page, name="significance"),
    path("<int:pk>/significance/edit/", views.significance_edit, name="significance_edit"),
    path(
        "<int:pk>/significance/override/",
        views.significance_override,
        name="significance_override",
    ),
    path("<int:pk>/significance/urgent/", views.urgent_path, name="urgent_path"),
    path(
        "<int:pk>/significance/notice/",
        views.reconfiguration_notice,
        name="reconfiguration_notice",
    ),
    path("<int:pk>/significance/call-in/", views.call_in_request, name="call_in_request"),
    path(
        "<int:pk>/significance/call-in/<int:request_pk>/answer/",
        views.call_in_response,
        name="call_in_response",
    ),
    # Assurance and the EqIA
    path("<int:pk>/assurance/", views.assurance, name="assurance"),
    path("<int:pk>/assurance/bed-closures/", views.bed_closures, name="bed_closures"),
    path("<int:pk>/assurance/tests/<str:test>/", views.assurance_test, name="assurance_test"),
    path(
        "<int:pk>/assurance/tests/<str:test>/document/",
        views.test_document,
        name="test_document",
    ),
    path("<int:pk>/assurance/stage/<int:stage>/", views.checkpoint, name="checkpoint"),
    path("<int:pk>/assurance/eqia/", views.eqia_attach, name="eqia_attach"),
    path("<int:pk>/assurance/eqia/review/", views.eqia_review, name="eqia_review"),
    path("<int:pk>/assurance/eqia/impacts/", views.eqia_impacts, name="eqia_impacts"),
    path("<int:pk>/assurance/eqia/due-regard/", views.due_regard, name="due_regard"),
    path("<int:pk>/assurance/eqia/download/", views.eqia_download, name="eqia_download"),
]
