from heard.core.roles import Role
from heard.core.testing import Access

VIEW = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD}
RUN = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER}
APPROVE = VIEW


def _sg() -> dict[str, int]:
    from heard.groups.tests.helpers import world

    return {"pk": world()["sg"].pk}


def _term() -> dict[str, int]:
    from heard.groups.tests.helpers import world

    w = world()
    return {"pk": w["sg"].pk, "term_pk": w["chair"].pk}


def _meeting() -> dict[str, int]:
    from heard.groups.tests.helpers import world

    return {"pk": world()["meeting"].pk}


def _minutes() -> dict[str, int]:
    from heard.groups.tests.helpers import world

    return {"pk": world()["minutes"].pk}


def _action() -> dict[str, int]:
    from heard.groups.tests.helpers import world

    return {"pk": world()["action"].pk}


EXPECTED = {
    "groups:list": Access(VIEW),
    "groups:detail": Access(VIEW, kwargs=_sg),
    "groups:settings": Access(RUN, kwargs=_sg),
    "groups:terms_of_reference": Access(RUN, kwargs=_sg),
    "groups:term_add": Access(RUN, kwargs=_sg),
    "groups:term_end": Access(RUN, kwargs=_term),
    "groups:meeting_new": Access(RUN, kwargs=_sg),
    "groups:meeting": Access(VIEW, kwargs=_meeting),
    "groups:meeting_edit": Access(RUN, kwargs=_meeting),
    "groups:meeting_cancel": Access(RUN, kwargs=_meeting, method="post"),
    "groups:agenda_add": Access(RUN, kwargs=_meeting, method="post"),
    "groups:paper_upload": Access(RUN, kwargs=_meeting, method="post"),
    "groups:attendance": Access(RUN, kwargs=_meeting),
    "groups:minutes_edit": Access(RUN, kwargs=_meeting),
    "groups:decision_add": Access(RUN, kwargs=_meeting, method="post"),
    "groups:action_add": Access(RUN, kwargs=_meeting, method="post"),
    "groups:action_done": Access(RUN, kwargs=_action, method="post"),
    "groups:heard_add": Access(RUN, kwargs=_minutes, method="post"),
    "groups:minutes_approve": Access(APPROVE, kwargs=_minutes),
    "groups:minutes_correct": Access(RUN, kwargs=_minutes),
    "groups:minutes_publish": Access(RUN, kwargs=_minutes, method="post"),
}
