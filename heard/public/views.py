"""The public website. Read-only here; later pages read through other apps' selectors."""

from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html")


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "public/about.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement, on the government's model statement; its dates come
    from settings so that each deployment states its own."""
    dates = {
        key: date.fromisoformat(getattr(settings, f"HEARD_ACCESSIBILITY_{key.upper()}_ON"))
        for key in ("prepared", "reviewed", "tested")
    }
    return render(request, "public/accessibility.html", {"dates": dates})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public/privacy.html")


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "public/cookies.html")
