"""The staff area's front page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from heard.core.permissions import permission_required


@permission_required("staff.view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/dashboard.html")
