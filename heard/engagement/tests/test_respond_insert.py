"""The response inserts written once as SQL store exactly what the ORM would."""

import uuid

import pytest
from django.db import models
from django.db.models.signals import post_save, pre_save

from heard.engagement import selectors_responses, services_responses
from heard.engagement.models import Answer, Response
from heard.engagement.tests.test_respond import make_questionnaire

pytestmark = pytest.mark.django_db

RAW = {
    "as": "individual",
    "used": "yes",
    "experience": "The nurse came on time and listened.",
    "agree": "agree",
}


def test_nothing_is_skipped_by_not_calling_save():
    for model in (Response, Answer):
        assert model.save is models.Model.save
        assert not pre_save.has_listeners(model)
        assert not post_save.has_listeners(model)


def test_the_stored_response_and_answers_read_back_as_given():
    q = make_questionnaire()
    version = q.versions.get()
    view = selectors_responses.version_view(version)
    clean = services_responses.response_clean(view, RAW)
    token = uuid.uuid4()
    response, created = services_responses.response_submit(
        version=version, raw=RAW, token=token, publish_consent=True
    )
    assert created and response.pk is not None and not response._state.adding
    stored = Response.objects.get(pk=response.pk)
    for f in Response._meta.concrete_fields:
        assert getattr(stored, f.attname) == getattr(response, f.attname), f.name
    assert stored.submission_token == token and stored.publish_consent is True
    answers = {a.question.key: (a.text, a.value) for a in stored.answers.all()}
    assert answers == {k: (c.text, c.value) for k, c in clean.answers.items()}
    again, created = services_responses.response_submit(
        version=version, raw=RAW, token=token, publish_consent=True
    )
    assert not created and again.pk == response.pk
    assert Response.objects.count() == 1
