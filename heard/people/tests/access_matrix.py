"""Who may reach each staff page on people, groups and imports (see rules.py for why)."""

from typing import Any

from heard.core.roles import Role
from heard.core.testing import Access

PEOPLE_TEAM = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER}
GROUP_READERS = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD}


def _member() -> dict[str, Any]:
    from heard.people.models import Member

    member = Member.objects.create(full_name="Matrix Person", email="matrix@example.org")
    return {"pk": member.pk}


def _group() -> dict[str, Any]:
    from heard.people.models import Group

    group = Group.objects.create(name="Matrix forum", kind="forum")
    return {"pk": group.pk}


def _membership() -> dict[str, Any]:
    from heard.people.models import Group, GroupMembership, Member

    group = Group.objects.create(name="Matrix PPG", kind="ppg", gp_practice="Matrix Surgery")
    member = Member.objects.create(full_name="Matrix Member", email="mm@example.org")
    membership = GroupMembership.objects.create(group=group, member=member)
    return {"pk": group.pk, "membership_pk": membership.pk}


def _batch() -> dict[str, Any]:
    from heard.people.models import ImportBatch

    batch = ImportBatch.objects.create(
        filename="matrix.csv", file_sha256="0" * 64, status=ImportBatch.Status.DONE
    )
    return {"pk": batch.pk}


EXPECTED = {
    "people:directory": Access(PEOPLE_TEAM),
    "people:person": Access(PEOPLE_TEAM, kwargs=_member),
    "people:person_create": Access(PEOPLE_TEAM),
    "people:person_edit": Access(PEOPLE_TEAM, kwargs=_member),
    "people:groups": Access(GROUP_READERS),
    "people:group": Access(GROUP_READERS, kwargs=_group),
    "people:stakeholder_map": Access(GROUP_READERS),
    "people:group_create": Access(PEOPLE_TEAM),
    "people:group_edit": Access(PEOPLE_TEAM, kwargs=_group),
    "people:group_member_add": Access(PEOPLE_TEAM, kwargs=_group),
    "people:group_member_remove": Access(PEOPLE_TEAM, kwargs=_membership, method="post"),
    "people:imports": Access(PEOPLE_TEAM),
    "people:import": Access(PEOPLE_TEAM, kwargs=_batch),
    "people:import_progress": Access(PEOPLE_TEAM, kwargs=_batch),
    "people:import_rejected": Access(PEOPLE_TEAM, kwargs=_batch),
    "people:import_purge": Access(PEOPLE_TEAM, kwargs=_batch, method="post"),
    "people:import_cancel": Access(PEOPLE_TEAM, kwargs=_batch, method="post"),
    "people:import_resume": Access(PEOPLE_TEAM, kwargs=_batch, method="post"),
    "people:import_delete": Access(PEOPLE_TEAM, kwargs=_batch),
}
