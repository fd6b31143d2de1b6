"""Staff pages for event booking: capacity, who booked, access needs, attendance on the
day (made for a phone), cancelling the event."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from heard.core.permissions import permission_required
from heard.engagement.models import Activity
from heard.events import selectors, services
from heard.events.forms import EventBookingForm, EventCancelForm
from heard.events.models import BookableEvent, Booking


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _event_activity(pk: int) -> Activity:
    return get_object_or_404(Activity, pk=pk, event_starts_at__isnull=False)


@permission_required("events.manage_bookings")
def event_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for activity in selectors.staff_events()[:200]:
        event = getattr(activity, "bookable_event", None)
        rows.append((activity, event, selectors.event_counts(event) if event else None))
    return render(request, "events/staff/event_list.html", {"rows": rows})


@permission_required("events.manage_bookings")
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _event_activity(pk)
    event = selectors.bookable_event_for(activity)
    initial = (
        {"capacity": event.capacity, "booking_open": event.booking_open}
        if event
        else {"booking_open": True}
    )
    form = EventBookingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_booking_save(
                actor=request.user,
                activity=activity,
                capacity=form.cleaned_data["capacity"],
                booking_open=form.cleaned_data["booking_open"],
                base_url=_base_url(request),
            )
        except services.ChangeRefused as refused:
            form.add_error("capacity", str(refused))
        else:
            messages.success(request, "Booking has been saved.")
            return redirect("events:event", pk=activity.pk)
    return render(
        request,
        "events/staff/event.html",
        {
            "activity": activity,
            "event": event,
            "form": form,
            "counts": selectors.event_counts(event) if event else None,
            "bookings": selectors.event_bookings(event) if event else [],
            "may_read_access_needs": request.user.has_perm("events.view_access_needs", activity),
        },
    )


def access_needs(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    activity = _event_activity(pk)
    if not request.user.has_perm("events.view_access_needs", activity):
        raise PermissionDenied("events.view_access_needs")
    event = get_object_or_404(BookableEvent, activity=activity)
    services.access_needs_viewed(actor=request.user, event=event)
    return render(
        request,
        "events/staff/access_needs.html",
        {"activity": activity, "event": event, "needs": selectors.event_access_needs(event)},
    )


@permission_required("events.manage_bookings")
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _event_activity(pk)
    event = get_object_or_404(BookableEvent, activity=activity)
    if request.method == "POST":
        booking = get_object_or_404(Booking, pk=request.POST.get("booking") or 0, event=event)
        try:
            services.attendance_record(
                actor=request.user, booking=booking, attendance=request.POST.get("attendance", "")
            )
        except services.ChangeRefused as refused:
            messages.error(request, str(refused))
        else:
            return redirect(f"{request.path}#booking-{booking.pk}")
    return render(
        request,
        "events/staff/attendance.html",
        {
            "activity": activity,
            "event": event,
            "counts": selectors.event_counts(event),
            "bookings": selectors.event_bookings(event).filter(status=Booking.Status.CONFIRMED),
        },
    )


@permission_required("events.manage_bookings")
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _event_activity(pk)
    event = get_object_or_404(BookableEvent, activity=activity)
    form = EventCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            told = services.event_cancel(
                actor=request.user,
                event=event,
                message=form.cleaned_data["message"],
                base_url=_base_url(request),
            )
        except services.ChangeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, f"The event has been cancelled. We are emailing {told} people."
            )
            return redirect("events:event", pk=activity.pk)
    return render(
        request,
        "events/staff/event_cancel.html",
        {
            "activity": activity,
            "event": event,
            "form": form,
            "counts": selectors.event_counts(event),
        },
    )


@require_POST
@permission_required("events.manage_bookings")
def booking_cancel(request: HttpRequest, pk: int, booking_pk: int) -> HttpResponse:
    activity = _event_activity(pk)
    booking = get_object_or_404(Booking, pk=booking_pk, event__activity=activity)
    services.booking_cancel(booking=booking, actor=request.user, base_url=_base_url(request))
    messages.success(request, f"The booking for {booking.attendee} has been cancelled.")
    return redirect("events:event", pk=activity.pk)
