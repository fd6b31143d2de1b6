"""Staff pages for people and communities: directory, person, groups, map, imports.

Thin: forms check input, selectors read, services write (and audit).
"""

import csv
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from heard.core.permissions import permission_required
from heard.people import selectors_staff as sel
from heard.people import stakeholders
from heard.people.forms_staff import (
    AddToGroupForm,
    DirectoryForm,
    GroupForm,
    MappingForm,
    MemberSearchForm,
    PersonEditForm,
    PersonForm,
    UploadForm,
)
from heard.people.history import history_for
from heard.people.imports.validation import FIELDS
from heard.people.models import Group, GroupMembership, ImportBatch, Member
from heard.people.services import groups as group_services
from heard.people.services import imports as import_services
from heard.people.services.members import MemberError, member_update

PAGE_SIZE = 50


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# People -------------------------------------------------------------------------------


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


# Groups -------------------------------------------------------------------------------


@permission_required("people.view_groups")
def groups(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in Group.Kind.values:
        kind = ""
    q = request.GET.get("q", "")[:200]
    return render(
        request,
        "people/staff/groups.html",
        {"groups": sel.groups_list(kind, q), "kind": kind, "q": q, "kinds": Group.Kind.choices},
    )


@permission_required("people.change_groups")
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, initial={"interest": 3, "influence": 3})
    if request.method == "POST" and form.is_valid():
        try:
            group = group_services.group_create(actor=request.user, **form.values())
        except group_services.GroupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{group.name} added.")
            return redirect("people:group", pk=group.pk)
    return render(request, "people/staff/group_form.html", {"form": form, "group": None})


@permission_required("people.change_groups")
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk)
    form = GroupForm(request.POST or None, instance=Group.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            group_services.group_update(group=group, actor=request.user, **form.values())
        except group_services.GroupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Changes saved.")
            return redirect("people:group", pk=group.pk)
    return render(request, "people/staff/group_form.html", {"form": form, "group": group})


@permission_required("people.view_groups")
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk)
    page = Paginator(sel.group_current_memberships(group), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "people/staff/group.html",
        {
            "group": group,
            "page": page,
            "query": "",
            "past": sel.group_past_memberships(group)[:50],
            "quadrant": stakeholders.quadrant(group.interest, group.influence),
        },
    )


@permission_required("people.change_groups")
def group_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk)
    if request.method == "POST":
        add_form = AddToGroupForm(request.POST)
        if add_form.is_valid():
            member = add_form.cleaned_data["member"]
            try:
                group_services.group_member_add(
                    group=group,
                    member=member,
                    role=add_form.cleaned_data["role"],
                    actor=request.user,
                )
            except group_services.GroupError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"{member.full_name} added to {group.name}.")
                return redirect("people:group", pk=group.pk)
        else:
            messages.error(request, "Choose a person and a role, then select Add.")
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    search = MemberSearchForm(request.GET or None)
    candidates = sel.member_candidates(group, search.cleaned_data["q"]) if search.is_valid() else []
    return render(
        request,
        "people/staff/group_member_add.html",
        {
            "group": group,
            "search": search,
            "candidates": candidates,
            "roles": GroupMembership.Role.choices,
        },
    )


@require_POST
@permission_required("people.change_groups")
def group_member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = get_object_or_404(GroupMembership, pk=membership_pk, group_id=pk)
    try:
        group_services.group_member_remove(membership=membership, actor=request.user)
    except group_services.GroupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{membership.member.full_name} removed from the group.")
    return redirect("people:group", pk=pk)


@permission_required("people.view_groups")
def stakeholder_map(request: HttpRequest) -> HttpResponse:
    groups_ = sel.stakeholder_groups()
    points = stakeholders.layout([(g.name, g.interest, g.influence) for g in groups_])
    rows = list(zip(points, groups_, strict=True))
    size, cell = stakeholders.SIZE, stakeholders.CELL
    left, top = stakeholders.LEFT, stakeholders.TOP
    half = size / 2
    return render(
        request,
        "people/staff/stakeholder_map.html",
        {
            "rows": rows,
            "width": stakeholders.WIDTH,
            "height": stakeholders.HEIGHT,
            "left": left,
            "top": top,
            "size": size,
            "right": left + size,
            "bottom": top + size,
            # The "high" line sits between scores 3 and 4.
            "split_x": left + 3 * cell,
            "split_y": top + 2 * cell,
            "ticks": [
                {"n": n, "x": left + (n - 0.5) * cell, "y": top + (5 - n + 0.5) * cell}
                for n in range(1, 6)
            ],
            "quadrants": [
                {"label": stakeholders.KEEP_SATISFIED, "x": left + 1.5 * cell, "y": top + 14},
                {"label": stakeholders.MANAGE_CLOSELY, "x": left + 4 * cell, "y": top + 14},
                {"label": stakeholders.MONITOR, "x": left + 1.5 * cell, "y": top + size - 6},
                {"label": stakeholders.KEEP_INFORMED, "x": left + 4 * cell, "y": top + size - 6},
            ],
            "axis_x": {"x": left + half, "y": top + size + 45},
            "axis_y": {"x": 18, "y": top + half},
        },
    )


# Imports ------------------------------------------------------------------------------


@permission_required("people.import_people")
def imports(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_services.import_upload(
                filename=upload.name,
                data=upload.read(),
                actor=request.user,
                group=form.cleaned_data["group"],
            )
        except import_services.ImportProblem as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("people:import", pk=batch.pk)
    return render(
        request,
        "people/staff/imports.html",
        {"form": form, "batches": sel.import_batches()},
    )


@permission_required("people.import_people")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.select_related("group"), pk=pk)
    if batch.status != ImportBatch.Status.UPLOADED:
        return render(request, "people/staff/import_progress.html", _progress_context(batch))
    form = MappingForm(
        request.POST or None,
        columns=list(batch.columns),
        initial_mapping=batch.mapping,
        group=batch.group,
    )
    if request.method == "POST" and form.is_valid():
        try:
            import_services.import_start(
                batch=batch,
                mapping=form.mapping(),
                group=form.cleaned_data["group"],
                actor=request.user,
            )
        except import_services.ImportProblem as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("people:import", pk=batch.pk)
    try:
        preview = import_services.import_preview(batch=batch)
    except (import_services.UnreadableFile, OSError):
        preview = None
    return render(
        request,
        "people/staff/import_mapping.html",
        {
            "batch": batch,
            "form": form,
            "preview": preview,
            "field_names": list(FIELDS),
            "earlier": sel.import_earlier_same_file(batch),
        },
    )


def _progress_context(batch: ImportBatch) -> dict[str, Any]:
    percent = 0
    if batch.total_rows:
        percent = min(100, round(100 * batch.processed_rows / batch.total_rows))
    running = batch.status == ImportBatch.Status.RUNNING
    # Nothing processed long after the upload: the background worker is probably down.
    stalled = (
        running
        and batch.processed_rows == 0
        and timezone.now() - batch.created_at > timedelta(minutes=5)
    )
    return {"batch": batch, "percent": percent, "running": running, "stalled": stalled}


@permission_required("people.import_people")
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel alone, for htmx polling (a full page without htmx)."""
    batch = get_object_or_404(ImportBatch.objects.select_related("group"), pk=pk)
    if not request.headers.get("HX-Request"):
        return redirect("people:import", pk=pk)
    return render(request, "people/staff/_import_status.html", _progress_context(batch))


class _Echo:
    def write(self, value: str) -> str:
        return value


@permission_required("people.import_people")
def import_rejected(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    import_services.import_rejected_download_record(batch=batch, actor=request.user)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so that Excel reads UTF-8
        for row in import_services.rejected_rows_csv(batch=batch):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-rejected-rows.csv"'
    return response
