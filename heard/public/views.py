"""The public website. Read-only here; later pages read through other apps' selectors."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html")


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "public/about.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "public/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public/privacy.html")


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "public/cookies.html")
