"""Top-level URLs: the public site at /, the staff area at /staff/, staff sign-in at /account/."""

from pathlib import Path

from django.conf import settings
from django.conf.urls.static import static
from django.urls import URLPattern, URLResolver, include, path

from heard.api.api import api
from heard.audit import views as audit_views
from heard.core.assets import nhsuk_css
from heard.servicechange.lifecycle import urls as lifecycle_urls

urlpatterns: list[URLPattern | URLResolver] = [
    # First: the busiest address (people answering surveys) is then matched without
    # trying every staff pattern before it. No other prefix overlaps it.
    path("get-involved/", include("heard.engagement.urls_public")),
    path("account/", include("allauth.urls")),
    path("api/", api.urls),
    path("staff/api-tokens/", include("heard.api.urls_staff")),
    path("staff/", include("heard.staff.urls")),
    path("staff/audit/", include("heard.audit.urls")),
    # The public key the audit chain's checkpoints are signed with (ADR 10).
    path("audit-signing-key.pem", audit_views.public_key, name="audit_public_key"),
    path("staff/users/", include("heard.accounts.urls_staff")),
    path("staff/rules/", include("heard.accounts.urls_rules")),
    path("staff/people/", include("heard.people.urls_staff")),
    path("staff/involvement/", include("heard.involvement.urls_staff")),
    path("staff/activities/", include("heard.engagement.urls_staff")),
    path("staff/insight/", include("heard.insight.urls_staff")),
    path("staff/groups/", include("heard.groups.urls_staff")),
    path("staff/analysis/", include("heard.analysis.urls_staff")),
    path("staff/proposals/", include(lifecycle_urls.proposals_staff)),
    path("staff/assessment/", include("heard.servicechange.assessment.urls_staff")),
    path("staff/consultations/", include("heard.servicechange.consultations.urls_staff")),
    path("staff/outcomes/", include(lifecycle_urls.outcomes_staff)),
    path("staff/events/", include("heard.events.urls_staff")),
    path("staff/evidence/", include("heard.servicechange.evidence.urls_staff")),
    path("staff/annual-reports/", include("heard.reports.urls_staff")),
    path("staff/exports/", include("heard.exports.urls_staff")),
    path("what-we-are-working-on/", include(lifecycle_urls.proposals_public)),
    path("consultations/", include(lifecycle_urls.consultations_public)),
    path("you-said-we-did/", include("heard.servicechange.outcomes.urls_public")),
    path("annual-reports/", include("heard.reports.urls_public")),
    path("invitations/", include("heard.involvement.urls_public")),
    # The NHS.UK frontend's stylesheet without its third-party web fonts (heard/core/assets.py).
    path("assets/nhsuk-frontend.css", nhsuk_css, name="nhsuk_css"),
    path("groups/", include("heard.groups.urls_public")),
    path("events/", include("heard.events.urls_public")),
    path("follow/", include("heard.servicechange.follow.urls")),
    path("", include("heard.people.urls_public")),
    path("", include("heard.public.urls")),
]

# Uploaded public documents (activity documents, Easy Read and other-language versions)
# live under HEARD_MEDIA_ROOT/activities/. Only that folder is public: imports, EqIAs,
# evidence and board papers are served by permission-checked views. In production the
# proxy serves /media/activities/ alone (docs/runbook.md); with DEBUG on (`make run`)
# Django does. (static() adds nothing when DEBUG is off.)
urlpatterns += static(
    f"{settings.MEDIA_URL}activities/", document_root=Path(settings.MEDIA_ROOT) / "activities"
)

handler400 = "heard.core.views.bad_request"
handler403 = "heard.core.views.permission_denied"
handler404 = "heard.core.views.page_not_found"
handler500 = "heard.core.views.server_error"
