"""The renditions cache keeps what it handed out from being written back on every view."""

import pytest
from wagtail_factories import ImageFactory

from django.core.cache import caches
from django.db.models.fields.files import FieldFile
from django.test import override_settings

from wagtail.images.models import Rendition

pytestmark = pytest.mark.django_db

RENDITION_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-default"},
    "renditions": {"BACKEND": "cms.rendition_cache.RenditionCache", "LOCATION": "test-renditions"},
}


def stored(cache):
    """What the local-memory cache holds: key -> (pickled value, expiry)."""
    return {key: (value, cache._expire_info[key]) for key, value in cache._cache.items()}


@override_settings(CACHES=RENDITION_CACHES)
def test_renditions_read_from_the_cache_are_not_stored_again():
    cache = caches["renditions"]
    cache.clear()
    image = ImageFactory()
    first = image.get_renditions("width-100", "format-webp|width-200")
    single = image.get_rendition("width-50")
    assert len(stored(cache)) == 3  # created renditions are stored
    before = stored(cache)

    # Later views: a fresh image object finds them in the cache, with nothing written.
    for _ in range(2):
        again = type(image).objects.get(pk=image.pk)
        renditions = again.get_renditions("width-100", "format-webp|width-200")
        assert {spec: r.pk for spec, r in renditions.items()} == {spec: r.pk for spec, r in first.items()}
        assert again.get_rendition("width-50").pk == single.pk
        assert stored(cache) == before

    # A rendition not in the cache (purged, or another worker's) is read from the database
    # and stored as before.
    Rendition.objects.get(pk=single.pk).purge_from_cache()
    assert len(stored(cache)) == 2
    assert type(image).objects.get(pk=image.pk).get_rendition("width-50").pk == single.pk
    assert len(stored(cache)) == 3


@override_settings(CACHES=RENDITION_CACHES)
def test_other_values_behave_as_in_local_memory():
    cache = caches["renditions"]
    cache.clear()
    cache.set("n", 1)
    assert cache.get("n") == 1 and cache.get("missing", "默认") == "默认"
    cache.set("n", 2)  # an int cannot be marked as read: stored again
    assert cache.get_many(["n", "missing"]) == {"n": 2}
    cache.set_many({"a": [1], "b": None})
    assert cache.get_many(["a", "b"]) == {"a": [1], "b": None}


@override_settings(CACHES=RENDITION_CACHES)
def test_renditions_are_stored_without_their_image():
    """The stored copy leaves the image out; a rendition read back belongs to the image
    that asked for it, and the rendition that was stored keeps its own."""
    import pickle

    cache = caches["renditions"]
    cache.clear()
    image = ImageFactory(title="示例图片")
    created = image.get_rendition("width-100")
    assert created._state.fields_cache.get("image") is image  # untouched by storing
    assert isinstance(created.file, FieldFile)  # now a file object on the instance, as after a template's use
    cache.set(created.get_cache_key(), created)
    assert isinstance(vars(created)["file"], FieldFile) and created.file.instance is created  # untouched
    ((value, _expiry),) = stored(cache).values()
    kept = pickle.loads(value)  # noqa: S301  # nosec B301 - our own cache entry
    assert "image" not in kept._state.fields_cache
    assert type(vars(kept)["file"]) is str and vars(kept)["file"] == created.file.name  # as in the database

    again = type(image).objects.get(pk=image.pk)
    read = again.get_renditions("width-100")["width-100"]
    assert read.pk == created.pk and read.image is again
    assert read.url == created.url and read.img_tag() == created.img_tag()
    assert isinstance(read.file, FieldFile) and read.file.instance is read
    assert read.file.read() == created.file.open().read()


@override_settings(CACHES=RENDITION_CACHES)
def test_picture_tag_prints_what_djangos_attributes_would():
    """{% picture %} builds its tags with cms.escaping.flatatt: the same HTML as Django's."""
    from django.template import Context, Template

    from wagtail.images import models as image_models

    from cms import escaping

    image = ImageFactory(title="重庆 <图> & 'x'")
    template = Template(
        '{% load wagtailimages_tags %}{% picture image format-{webp,jpeg} width-{40,80} sizes="100vw" '
        'class="img-fluid" alt=alt loading="lazy" %}'
    )
    context = {"image": image, "alt": "“成渝” <超高清> & '视频'"}
    ours = template.render(Context(context))
    image_models.flatatt = escaping._django_flatatt
    try:
        django = template.render(Context(context))
    finally:
        image_models.flatatt = escaping.flatatt
    assert ours == django
    assert ours.count("<source ") == 1 and 'srcset="' in ours and "&lt;超高清&gt;" in ours
