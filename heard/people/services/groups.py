"""Writing groups and stakeholders, and who is in them. Every change is audited.

Leaving a group keeps the membership with an end date (``until``), so a person's history
still shows it; joining again reopens it.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.people.models import Group, GroupMembership, Member
from heard.people.services.members import member_create

GROUP_FIELDS = (
    "name",
    "kind",
    "stakeholder_type",
    "gp_practice",
    "locality",
    "description",
    "email",
    "interest",
    "influence",
    "active",
)


class GroupError(ValueError):
    """A change to a group that cannot be made; the message says why."""


def _check(values: dict[str, Any]) -> None:
    kind = values.get("kind")
    if kind == Group.Kind.STAKEHOLDER and not values.get("stakeholder_type"):
        raise GroupError("Choose the type of stakeholder body.")
    if kind != Group.Kind.STAKEHOLDER and values.get("stakeholder_type"):
        values["stakeholder_type"] = ""
    if kind == Group.Kind.PPG and not values.get("gp_practice"):
        raise GroupError("Enter the GP practice this patient participation group belongs to.")
    for score in ("interest", "influence"):
        if score in values and not 1 <= int(values[score]) <= 5:
            raise GroupError(f"The {score} score must be from 1 to 5.")


def group_create(*, actor: Any, **values: Any) -> Group:
    """Create a group or stakeholder body. Raises GroupError for missing type or practice."""
    unknown = set(values) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown group fields: {sorted(unknown)}")
    _check(values)
    with transaction.atomic():
        group = Group.objects.create(**values)
        audit_record(
            action=Action.GROUP_CREATED,
            actor=actor,
            subject=group,
            after={
                "kind": group.kind,
                "stakeholder_type": group.stakeholder_type,
                "interest": group.interest,
                "influence": group.influence,
            },
        )
    return group


def group_update(*, group: Group, actor: Any, **values: Any) -> Group:
    """Change a group's details; the audit event names the fields changed and the scores."""
    unknown = set(values) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown group fields: {sorted(unknown)}")
    merged = {name: getattr(group, name) for name in GROUP_FIELDS} | values
    _check(merged)
    changed = sorted(name for name in GROUP_FIELDS if getattr(group, name) != merged[name])
    if not changed:
        return group
    before = {"interest": group.interest, "influence": group.influence, "kind": group.kind}
    with transaction.atomic():
        for name in changed:
            setattr(group, name, merged[name])
        group.save(update_fields=changed)
        audit_record(
            action=Action.GROUP_UPDATED,
            actor=actor,
            subject=group,
            before=before,
            after={
                "fields": changed,
                "interest": group.interest,
                "influence": group.influence,
                "kind": group.kind,
            },
        )
    return group


def group_member_add(
    *,
    group: Group,
    member: Member,
    role: GroupMembership.Role | str = GroupMembership.Role.MEMBER,
    actor: Any,
) -> GroupMembership:
    """Add a person to a group with a role (or change their role, or bring them back)."""
    role = GroupMembership.Role(role)
    if member.status == Member.Status.ERASED:
        raise GroupError("This person's details have been erased, so they cannot join a group.")
    with transaction.atomic():
        membership, created = GroupMembership.objects.select_for_update().get_or_create(
            group=group, member=member, defaults={"role": role}
        )
        before = None
        if not created:
            if membership.until is None and membership.role == role:
                raise GroupError("This person is already in the group with that role.")
            before = {"role": membership.role, "current": membership.until is None}
            if membership.until is not None:
                membership.since = timezone.localdate()
            membership.until = None
            membership.role = role
            membership.save(update_fields=["role", "until", "since"])
        audit_record(
            action=Action.GROUP_MEMBER_ADDED,
            actor=actor,
            subject=membership,
            before=before,
            after={"group_id": group.pk, "member_id": member.pk, "role": role.value},
        )
    return membership


def group_member_remove(*, membership: GroupMembership, actor: Any) -> GroupMembership:
    """End a membership today (kept for the person's history)."""
    if membership.until is not None:
        raise GroupError("This person has already left the group.")
    with transaction.atomic():
        membership.until = timezone.localdate()
        membership.save(update_fields=["until"])
        audit_record(
            action=Action.GROUP_MEMBER_REMOVED,
            actor=actor,
            subject=membership,
            after={
                "group_id": membership.group_id,
                "member_id": membership.member_id,
                "role": membership.role,
            },
        )
    return membership


def contact_add(
    *,
    full_name: str,
    email: str,
    phone: str,
    postcode: str,
    group: Group | None,
    role: GroupMembership.Role | str,
    actor: Any,
) -> Member:
    """Add a person by hand (e.g. a stakeholder body's contact), optionally into a group.

    Raises members.MemberError if the email address is already held (staff may be told: they
    can find that person in the directory instead) or the postcode is not valid.
    """
    with transaction.atomic():
        member = member_create(
            full_name=full_name,
            email=email,
            phone=phone,
            postcode=postcode,
            source=Member.Source.STAFF,
            status=Member.Status.ACTIVE,
            actor=actor,
        )
        if group is not None:
            group_member_add(group=group, member=member, role=role, actor=actor)
    return member
