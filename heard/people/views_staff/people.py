"""Staff pages for people: the directory, a person, adding and correcting people."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from heard.core.permissions import permission_required
from heard.people import selectors_staff as sel
from heard.people.forms_staff import (
    DirectoryForm,
    PersonEditForm,
    PersonForm,
)
from heard.people.history import history_for
from heard.people.models import GroupMembership, Member
from heard.people.services import groups as group_services
from heard.people.services.members import MemberError, member_update

PAGE_SIZE = 50


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@permission_required("people.view_people")
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    page = sel.directory_page(form.to_filter(), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "people/staff/directory.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "filtered": bool(request.GET and form.is_valid() and any(form.cleaned_data.values())),
        },
    )


@permission_required("people.view_people")
def person(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        member = sel.member_for_staff(pk)
    except Member.DoesNotExist as exc:
        raise Http404("No such person") from exc
    return render(
        request,
        "people/staff/person.html",
        {
            "member": member,
            "history": history_for(member),
            "contact_ways": [
                way
                for way, wanted in (
                    ("Email", member.contact_by_email),
                    ("Phone", member.contact_by_phone),
                    ("Post", member.contact_by_post),
                )
                if wanted
            ],
            "events": sel.member_audit_events(member),
        },
    )


@permission_required("people.change_people")
def person_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    group_id = request.GET.get("group", "")
    if group_id.isdigit():
        initial = {"group": group_id, "role": GroupMembership.Role.CONTACT}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = group_services.contact_add(
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                postcode=data["postcode"],
                group=data["group"],
                role=data["role"] or GroupMembership.Role.MEMBER,
                actor=request.user,
            )
        except MemberError as exc:
            form.add_error("email", f"{exc} Find them in the directory instead.")
        else:
            messages.success(request, f"{member.full_name} added.")
            return redirect("people:person", pk=member.pk)
    return render(request, "people/staff/person_form.html", {"form": form})


@permission_required("people.change_people")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.exclude(status=Member.Status.ERASED), pk=pk)
    initial = {
        "full_name": member.full_name,
        "phone": member.phone,
        "postcode": member.postcode,
        "interests": list(member.interests.all()),
    }
    form = PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = member_update(
            member=member,
            actor=request.user,
            full_name=data["full_name"],
            phone=data["phone"],
            postcode=data["postcode"],
            interests=data["interests"],
            # Contact preferences are the person's own choice: kept as they are.
            contact_by_email=member.contact_by_email,
            contact_by_phone=member.contact_by_phone,
            contact_by_post=member.contact_by_post,
        )
        messages.success(request, "Changes saved." if changed else "Nothing was changed.")
        return redirect("people:person", pk=member.pk)
    return render(request, "people/staff/person_edit.html", {"form": form, "member": member})
