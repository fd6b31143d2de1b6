from django.urls import path

from heard.servicechange.proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("new/", views.proposal_create, name="create"),
    path("<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("<int:pk>/privacy/", views.proposal_privacy, name="privacy"),
    path("<int:pk>/heard/", views.proposal_heard, name="heard"),
    path("<int:pk>/know/", views.proposal_know, name="know"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("<int:pk>/plan/", views.plan_detail, name="plan"),
    path("<int:pk>/plan/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/plan/lines/new/", views.plan_item_edit, name="plan_item_add"),
    path("<int:pk>/plan/lines/<int:item_pk>/", views.plan_item_edit, name="plan_item_edit"),
    path(
        "<int:pk>/plan/lines/<int:item_pk>/remove/",
        views.plan_item_remove,
        name="plan_item_remove",
    ),
    path("<int:pk>/activities/link/", views.activity_link, name="activity_link"),
    path(
        "<int:pk>/activities/<int:link_pk>/unlink/",
        views.activity_unlink,
        name="activity_unlink",
    ),
]
