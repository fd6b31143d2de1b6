"""Staff pages for personal API tokens: list, make (the secret shown once), revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from heard.api import selectors, services
from heard.api.auth import limit_per_minute
from heard.api.forms import TokenForm
from heard.core.permissions import permission_required


def _list(request: HttpRequest, form: TokenForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "api/staff/tokens.html",
        {
            "form": form,
            "tokens": list(selectors.tokens_of(request.user)[:100]),
            "rate_limit": limit_per_minute(),
        },
        status=status,
    )


@permission_required("api.manage_own_tokens")
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    return _list(request, TokenForm())


@permission_required("api.manage_own_tokens")
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _list(request, form, status=400)
    try:
        token, secret = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
    except ValidationError as error:
        form.add_error("name", error.messages[0])
        return _list(request, form, status=400)
    # Shown on this response only (never stored, never in a redirect or the session).
    return render(request, "api/staff/token_created.html", {"token": token, "secret": secret})


@permission_required("api.manage_own_tokens")
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("token", "")
    token = selectors.token_of(request.user, int(raw)) if raw.isdigit() and len(raw) < 16 else None
    if token is None:
        messages.error(request, "That is not one of your tokens.")
        return redirect("api_tokens:list")
    try:
        services.api_token_revoke(token=token, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("api_tokens:list")
    messages.success(request, f"Token '{token.name}' revoked. It no longer works.")
    return redirect("api_tokens:list")
