"""Public pages: follow things (double opt-in), confirm from the email, unsubscribe with
one click without signing in."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from heard.people.models import Topic
from heard.servicechange.follow import services
from heard.servicechange.follow.forms import FollowForm
from heard.servicechange.proposals.selectors import public_proposal


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def start(request: HttpRequest) -> HttpResponse:
    initial: dict[str, list[str]] = {}
    proposal = public_proposal(request.GET.get("proposal", ""))
    if proposal is not None:
        initial["proposals"] = [str(proposal.pk)]
    topic = Topic.objects.filter(slug=request.GET.get("topic", ""), active=True).first()
    if topic is not None:
        initial["topics"] = [str(topic.pk)]
    form = FollowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.follow_request(
            email=form.cleaned_data["email"],
            targets=form.targets(),
            base_url=_base_url(request),
            frequency=form.cleaned_data["frequency"],
        )
        return redirect("follow:check_email")
    return render(request, "follow/public/start.html", {"form": form})


def check_email(request: HttpRequest) -> HttpResponse:
    return render(request, "follow/public/check_email.html")


def _problem(request: HttpRequest, expired: bool) -> HttpResponse:
    return render(
        request,
        "follow/public/link_problem.html",
        {"expired": expired},
        status=410 if expired else 404,
    )


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            follows = services.follow_confirm(token=token)
            return render(request, "follow/public/confirmed.html", {"follows": follows})
        _follower, follows = services.confirm_check(token)
    except services.LinkExpired:
        return _problem(request, expired=True)
    except services.LinkInvalid:
        return _problem(request, expired=False)
    return render(request, "follow/public/confirm.html", {"follows": follows})


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks; POST (the button, or a mail client's one-click) acts. The signed token
    is the authority: a forged POST can only do what the link's owner can do."""
    try:
        if request.method == "POST":
            services.follower_unsubscribe(token=token)
            return render(request, "follow/public/unsubscribed.html")
        follower = services.unsubscribe_check(token)
    except (services.LinkExpired, services.LinkInvalid):
        return _problem(request, expired=False)
    return render(
        request,
        "follow/public/unsubscribe.html",
        {"follows": list(follower.follows.all()), "already": follower.unsubscribed_at is not None},
    )
