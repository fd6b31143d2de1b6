"""The lifecycle's pages join the URL namespaces of the stages they belong to, so every
address and name stays as it was: ``heard/urls.py`` includes these lists in place of the
stages' own (each list is the lifecycle's pages, then the stage's)."""

from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from heard.servicechange.consultations import urls_public as consultation_public_urls
from heard.servicechange.lifecycle import views
from heard.servicechange.outcomes import urls_staff as outcome_staff_urls
from heard.servicechange.proposals import urls_public as proposal_public_urls
from heard.servicechange.proposals import urls_staff as proposal_staff_urls

proposals_staff = (
    [
        path("<int:pk>/", views.proposal_detail, name="detail"),
        path("<int:pk>/move/", views.proposal_move, name="move"),
        path("<int:pk>/timeline/", views.proposal_timeline, name="timeline"),
        *proposal_staff_urls.urlpatterns,
    ],
    proposal_staff_urls.app_name,
)

proposals_public = (
    [
        *proposal_public_urls.urlpatterns,
        path("<slug:slug>/", views.public_detail, name="detail"),
    ],
    proposal_public_urls.app_name,
)

outcomes_staff = (
    [
        path("proposal/<int:pk>/decision/", views.decision, name="decision"),
        *outcome_staff_urls.urlpatterns,
    ],
    outcome_staff_urls.app_name,
)

consultations_public = (
    [
        # No page of its own: every consultation belongs to a service change, listed (with
        # its consultation) on "What we are working on".
        path(
            "",
            RedirectView.as_view(url=reverse_lazy("proposals_public:index")),
            name="index",
        ),
        path("<slug:slug>/", views.consultation_public_detail, name="detail"),
        *consultation_public_urls.urlpatterns,
    ],
    consultation_public_urls.app_name,
)
