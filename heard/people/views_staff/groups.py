"""Staff pages for groups and stakeholders, their members, and the stakeholder map."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from heard.core.permissions import permission_required
from heard.people import selectors_staff as sel
from heard.people import stakeholders
from heard.people.forms_staff import (
    AddToGroupForm,
    GroupForm,
    MemberSearchForm,
)
from heard.people.models import Group, GroupMembership
from heard.people.services import groups as group_services


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
