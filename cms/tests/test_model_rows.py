"""cms.model_rows: instances made from rows are Django's, field for field, for every model."""

import contextlib

import pytest

from django.apps import apps
from django.db.models import Model
from django.db.models.base import DEFERRED
from django.db.models.signals import post_init

from wagtail.blocks import StreamValue
from wagtail.images import get_image_model
from wagtail.models import Page

from cms import model_rows
from cms.tests.demo import demo_loaded
from news.models import ArticlePage
from policy.models import PolicyPage


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo content, loaded once and rolled back after the module."""
    with demo_loaded(django_db_blocker, "--skip-index"):
        yield


@contextlib.contextmanager
def djangos_from_db():
    Model.from_db = classmethod(model_rows._django_from_db)
    try:
        yield
    finally:
        model_rows.install()


def fields_of(instance):
    """Everything the instance holds, its state as values."""
    values = dict(vars(instance))
    state = values.pop("_state")
    return type(instance), values, state.adding, state.db, dict(state.fields_cache)


def comparable(value):
    """Stream values compare by what they hold."""
    return ("stream", list(value.raw_data)) if isinstance(value, StreamValue) else value


def same_instances(expected, actual):
    assert len(expected) == len(actual)
    for one, other in zip(expected, actual, strict=True):
        assert one is not other
        one_type, one_values, *one_state = fields_of(one)
        other_type, other_values, *other_state = fields_of(other)
        assert (one_type, one_state) == (other_type, other_state)
        assert list(one_values) == list(other_values)  # same fields, in the same order
        assert {k: comparable(v) for k, v in one_values.items()} == {k: comparable(v) for k, v in other_values.items()}


def test_the_install_is_in_place():
    assert Model.from_db.__func__ is model_rows.from_db


@pytest.mark.django_db
def test_every_model_gives_djangos_instances(demo):
    compared = 0
    for model in apps.get_models():
        queryset = model._default_manager.order_by("pk")[:50]
        with djangos_from_db():
            expected = list(queryset.all())  # .all(): a new query each time, not the cached rows
        actual = list(queryset.all())
        same_instances(expected, actual)
        compared += bool(actual)
    assert compared > 30  # the demo content fills most models


@pytest.mark.django_db
def test_deferred_fields_and_related_rows(demo):
    querysets = [
        PolicyPage.objects.defer_streamfields().order_by("pk"),
        PolicyPage.objects.only("title", "doc_number").order_by("pk"),
        ArticlePage.objects.select_related("owner", "locale").order_by("pk"),
        Page.objects.order_by("path").specific(),
    ]
    for queryset in querysets:
        with djangos_from_db():
            expected = list(queryset.all())
        actual = list(queryset.all())
        assert actual
        same_instances(expected, actual)
    # A deferred stream field loads on use, as with Django's instances.
    page = PolicyPage.objects.defer_streamfields().first()
    assert "body" not in vars(page)
    assert list(page.body.raw_data) == list(PolicyPage.objects.get(pk=page.pk).body.raw_data)


@pytest.mark.django_db
def test_a_page_is_made_without_its_constructors(demo):
    plan = model_rows.plan_for(PolicyPage)
    assert plan is not None
    # Its stream fields are set through Wagtail's descriptor, everything else directly.
    assert {attname for _position, attname, _field in plan.setters} == {"body", "measures"}
    assert {field.name for _position, _attname, field in plan.setters} == {"body", "measures"}
    assert model_rows.plan_for(get_image_model()) is None  # a constructor of its own
    # Its stream values are the ones from_db_value made, tied to their fields.
    page = PolicyPage.objects.order_by("pk").first()
    assert page.body._stream_field is PolicyPage._meta.get_field("body")
    assert page.measures._stream_field is PolicyPage._meta.get_field("measures")


@pytest.mark.django_db
def test_receivers_and_rows_without_keys_take_djangos_way(demo, monkeypatch):
    made = []

    def receiver(sender, instance, **kwargs):
        made.append(instance.pk)

    post_init.connect(receiver, sender=PolicyPage)
    try:
        pks = list(PolicyPage.objects.values_list("pk", flat=True))
        assert [page.pk for page in PolicyPage.objects.all()] == pks
        assert made == pks
    finally:
        post_init.disconnect(receiver, sender=PolicyPage)

    calls = []
    original = model_rows._django_from_db

    def djangos(cls, db, field_names, values):
        calls.append(cls)
        return original(cls, db, field_names, values)

    monkeypatch.setattr(model_rows, "_django_from_db", djangos)
    from cms.models import Region

    region = Region.objects.order_by("pk").first()
    assert calls == []
    attnames = [field.attname for field in Region._meta.concrete_fields]
    values = [DEFERRED if attname == "id" else getattr(region, attname) for attname in attnames]
    instance = Region.from_db("default", attnames, values)
    assert calls == [Region] and instance.name == region.name
