"""Staff pages for people and communities: directory, person, groups, map, imports.

Thin: forms check input, selectors read, services write (and audit).
"""

from heard.people.views_staff.groups import (
    group_create,
    group_detail,
    group_edit,
    group_member_add,
    group_member_remove,
    groups,
    stakeholder_map,
)
from heard.people.views_staff.imports import (
    import_cancel,
    import_delete,
    import_detail,
    import_progress,
    import_purge,
    import_rejected,
    import_resume,
    imports,
)
from heard.people.views_staff.people import directory, person, person_create, person_edit

__all__ = [
    "directory",
    "group_create",
    "group_detail",
    "group_edit",
    "group_member_add",
    "group_member_remove",
    "groups",
    "import_cancel",
    "import_delete",
    "import_detail",
    "import_progress",
    "import_purge",
    "import_rejected",
    "import_resume",
    "imports",
    "person",
    "person_create",
    "person_edit",
    "stakeholder_map",
]
