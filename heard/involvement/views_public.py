"""Public pages for answering an invitation from the signed links in the email.

No sign-in: the link is the proof. Opening a link shows the opportunity and a button;
only pressing it records the answer (so a mail scanner that follows links changes
nothing). Expired or altered links get a page that says what to do next.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from heard.involvement.domain import TransitionError, answer_blocked
from heard.involvement.links import (
    LinkExpired,
    LinkInvalid,
    invitation_from_token,
    invitation_token,
)
from heard.involvement.services import invitation_answer


def answer(request: HttpRequest, token: str, answer: str) -> HttpResponse:
    try:
        invitation = invitation_from_token(token, answer)
    except LinkExpired:
        return render(
            request, "involvement/public/link_problem.html", {"expired": True}, status=410
        )
    except LinkInvalid:
        return render(
            request, "involvement/public/link_problem.html", {"expired": False}, status=404
        )
    other = "decline" if answer == "accept" else "accept"
    context = {
        "invitation": invitation,
        "opportunity": invitation.opportunity,
        "answer": answer,
        # the page for the other answer, in case the member clicked the wrong link
        "other_url": reverse(
            f"invitations:{other}", kwargs={"token": invitation_token(invitation, other)}
        ),
    }
    blocked = answer_blocked(
        opportunity_status=invitation.opportunity.status, invitation_status=invitation.status
    )
    if blocked:
        return render(
            request, "involvement/public/answer_closed.html", {**context, "reason": blocked}
        )
    if request.method == "POST":
        previous = invitation.status
        try:
            invitation, changed = invitation_answer(invitation=invitation, answer=answer)
        except TransitionError as error:
            return render(
                request, "involvement/public/answer_closed.html", {**context, "reason": str(error)}
            )
        return render(
            request,
            "involvement/public/answer_done.html",
            {**context, "invitation": invitation, "changed": changed, "previous": previous},
        )
    return render(request, "involvement/public/answer_confirm.html", context)
