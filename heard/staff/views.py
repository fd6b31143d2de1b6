"""The staff area's front page: the work each person owes now, then every area they
may reach."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from heard.core.permissions import permission_required
from heard.staff.home import home_for


@permission_required("staff.view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/dashboard.html", {"home": home_for(request.user)})
