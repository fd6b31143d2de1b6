"""Public booking pages: book a place (or join the waiting list), cancel by link."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from heard.events import links, selectors, services
from heard.events.forms import BookingForm
from heard.events.models import Booking


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def book(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.public_bookable_event(slug)
    if event is None:
        raise Http404("This event does not take bookings")
    refusal = selectors.booking_refusal(event)
    form = BookingForm(request.POST or None)
    problem = ""
    if request.method == "POST" and not refusal and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_create(
                event=event,
                name=data["name"],
                email=data["email"],
                booking_for=data["booking_for"],
                attendee_name=data["attendee_name"],
                access_needs=data["access_needs"],
                base_url=_base_url(request),
            )
        except services.BookingRefused as refused:
            problem = str(refused)
            refusal = selectors.booking_refusal(event)
        else:
            url = reverse("events_public:booked", args=[slug])
            return redirect(f"{url}?t={links.done_token(booking.pk)}")
    counts = selectors.event_counts(event)
    return render(
        request,
        "events/public/book.html",
        {
            "event": event,
            "activity": event.activity,
            "form": form,
            "refusal": refusal,
            "problem": problem,
            "counts": counts,
        },
        status=409 if problem else 200,
    )


def booked(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        booking_id = links.booking_id_from_done_token(request.GET.get("t", ""))
    except links.LinkInvalid:
        return redirect("events_public:book", slug=slug)
    booking = (
        Booking.objects.select_related("event__activity")
        .filter(pk=booking_id, event__activity__slug=slug)
        .first()
    )
    if booking is None:
        raise Http404("No such booking")
    return render(
        request,
        "events/public/booked.html",
        {"booking": booking, "activity": booking.event.activity},
    )


def cancel(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking_id = links.booking_id_from_cancel_token(token)
    except links.LinkExpired:
        return render(
            request,
            "events/public/link_problem.html",
            {
                "reason": "This link has expired: cancel links stop working when the event "
                "starts. If you cannot come, please let us know by email."
            },
            status=410,
        )
    except links.LinkInvalid:
        return render(
            request,
            "events/public/link_problem.html",
            {
                "reason": "This link is not valid. Check that you copied the whole link from "
                "the email, or let us know by email that you cannot come."
            },
            status=404,
        )
    booking = Booking.objects.select_related("event__activity").filter(pk=booking_id).first()
    if booking is None:
        raise Http404("No such booking")
    done = False
    if request.method == "POST":
        booking = services.booking_cancel(booking=booking, base_url=_base_url(request))
        done = True
    return render(
        request,
        "events/public/cancel.html",
        {"booking": booking, "activity": booking.event.activity, "done": done},
    )
