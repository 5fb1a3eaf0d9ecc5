"""Private copies without pickle's round trip (cms.copies): the same values as pickle's,
nothing mutable shared, and the value as it was when the copier was made."""

import datetime
import decimal
import pickle  # nosec B403: the test compares with pickle's own copies
import uuid
from io import StringIO

import pytest

from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Model

from wagtail.models import Page, Site

from cms import cache as page_cache
from cms.cache import _site_with_specific_root
from cms.copies import ATOMS, _ModelMaker, _Piece, copier
from cms.models import SiteSettings
from news.models import NewsSettings


def round_trip(value):
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))  # noqa: S301  # nosec B301


def assert_same(ours, theirs, original, path="value", pairs=None):
    """``ours`` is ``theirs`` (pickle's copy of ``original``) object by object: same types,
    same attributes, equal atoms; an object ours shares with the original is one pickle
    shares too (a class, a block definition), never a mutable part of the value."""
    pairs = set() if pairs is None else pairs
    if (id(ours), id(theirs)) in pairs:
        return
    pairs.add((id(ours), id(theirs)))
    assert type(ours) is type(theirs), path
    if type(ours) in ATOMS or isinstance(ours, type):
        assert ours == theirs, path
        return
    if theirs is original or ours is original:
        assert (ours is original) == (theirs is original), f"{path}: shared with the original"
        return
    if isinstance(ours, (list, tuple)):
        assert len(ours) == len(theirs), path
        for index, (item, their_item) in enumerate(zip(ours, theirs, strict=True)):
            assert_same(item, their_item, _item(original, index), f"{path}[{index}]", pairs)
    elif isinstance(ours, dict):
        assert list(ours) == list(theirs), path
        for key in ours:
            assert_same(ours[key], theirs[key], _item(original, key), f"{path}[{key!r}]", pairs)
    elif hasattr(theirs, "__dict__"):
        if theirs is _item(original, None, theirs):  # pickle keeps it by reference (a block)
            assert ours is theirs, path
            return
        assert list(vars(ours)) == list(vars(theirs)), path
        for key in vars(ours):
            assert_same(vars(ours)[key], vars(theirs)[key], _attr(original, key), f"{path}.{key}", pairs)
    else:
        assert ours == theirs, path


def _item(original, key, same=None):
    if same is not None:
        return same if _reachable(original, same) else None
    try:
        return original[key]
    except (TypeError, KeyError, IndexError):
        return None


def _attr(original, key):
    return vars(original).get(key) if hasattr(original, "__dict__") else None


def _reachable(root, target, seen=None):
    """Whether ``target`` is ``root`` or inside it (lists, dicts, attributes)."""
    seen = set() if seen is None else seen
    if root is target:
        return True
    if id(root) in seen or type(root) in ATOMS or isinstance(root, type):
        return False
    seen.add(id(root))
    if isinstance(root, (list, tuple)):
        children = list(root)
    elif isinstance(root, dict):
        children = list(root.values())
    elif hasattr(root, "__dict__"):
        children = list(vars(root).values())
    else:
        return False
    return any(_reachable(child, target, seen) for child in children)


def mutable_ids(value, seen=None):
    """Ids of the lists, dictionaries and objects with attributes inside ``value``."""
    seen = {} if seen is None else seen
    if type(value) in ATOMS or isinstance(value, type) or id(value) in seen:
        return seen
    if isinstance(value, (list, tuple, dict)) or hasattr(value, "__dict__"):
        seen[id(value)] = value
        children = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else []
        if hasattr(value, "__dict__"):
            children = list(children) + list(vars(value).values())
        for child in children:
            mutable_ids(child, seen)
    return seen


def assert_copies_like_pickle(value):
    make = copier(value)
    first, second, theirs = make(), make(), round_trip(value)
    assert_same(first, theirs, value)
    assert_same(second, theirs, value)
    # Nothing mutable that pickle would copy is shared with the original or between copies.
    pickle_shares = set(mutable_ids(theirs)) & set(mutable_ids(value))
    assert (set(mutable_ids(first)) & set(mutable_ids(value))) <= pickle_shares
    assert (set(mutable_ids(first)) & set(mutable_ids(second))) <= pickle_shares
    return make, first


@pytest.fixture
def demo(db):
    call_command("load_demo", "--skip-index", stdout=StringIO())
    cache.clear()


@pytest.mark.django_db
def test_the_kept_site_pages_and_settings_copy_as_pickle_does(demo):
    site = _site_with_specific_root(Site.objects.get(is_default_site=True))
    make, copy = assert_copies_like_pickle(site)
    assert isinstance(make, _ModelMaker)  # made without unpickling
    assert copy.root_page.statistics.get_prep_value() == site.root_page.statistics.get_prep_value()
    assert copy.root_page.statistics[0].value["unit"] == site.root_page.statistics[0].value["unit"]
    for section in site.root_page.get_children().specific():
        assert isinstance(assert_copies_like_pickle(section)[0], _ModelMaker)
    for setting in (SiteSettings.for_site(site), NewsSettings.for_site(site)):
        make, copy = assert_copies_like_pickle(setting)
        assert isinstance(make, _ModelMaker)
        assert "_request" not in vars(copy)  # their own __getstate__ leaves it out, as pickle would


@pytest.mark.django_db
def test_loaded_relations_and_read_stream_values_copy_as_pickle_does(demo):
    from policy.models import PolicyPage

    page = PolicyPage.objects.live().select_related("supersedes").first()
    page.get_parent()  # a cached parent
    list(page.measures)  # converted blocks inside the stream value
    page.extra = {"tags": ["甲", "乙"], "when": datetime.date(2025, 4, 1), "pair": (1, [2])}
    page.amounts = [decimal.Decimal("1.50"), uuid.uuid4(), None, 3.5, b"raw"]
    assert_copies_like_pickle(page)
    assert_copies_like_pickle({"pages": [page], "count": 1, "words": ("a", "b")})


def test_a_copier_keeps_the_value_as_it_was():
    value = {"items": [1, 2], "nested": {"name": "甲"}}
    make = copier(value)
    value["items"].append(3)
    value["nested"]["name"] = "乙"
    value["new"] = True
    assert make() == {"items": [1, 2], "nested": {"name": "甲"}}
    copy = make()
    copy["items"].append(4)
    assert make()["items"] == [1, 2]


@pytest.mark.django_db
def test_a_copied_model_keeps_its_fields_and_relations_as_they_were(site_tree):
    site = _site_with_specific_root(Site.objects.get(is_default_site=True))
    make = copier(site)
    site.site_name = "改过"
    site.root_page.title = "改过"
    site._state.fields_cache.clear()
    copy = make()
    assert copy.site_name == "测试站点"
    assert copy.root_page.title == site_tree["home"].title
    assert copy.root_page is not make().root_page
    copy.root_page.title = "副本"
    assert make().root_page.title == site_tree["home"].title
    assert copy._state.db == "default" and copy._state.adding is False


def test_one_object_in_two_places_stays_one_object():
    shared = ["甲"]
    value = {"a": shared, "b": shared}
    copy = copier(value)()
    assert copy == value and copy["a"] is copy["b"] and copy["a"] is not shared
    looped = []
    looped.append(looped)
    copy = copier(looped)()
    assert copy[0] is copy and copy is not looped


@pytest.mark.django_db
def test_a_model_in_two_places_stays_one_model(site_tree):
    home = Page.objects.get(pk=site_tree["home"].pk)
    value = {"first": home, "again": [home]}
    copy = copier(value)()
    assert copy["first"] is copy["again"][0] and copy["first"] is not home
    # Also when one of the places is inside a part that is pickled (a stream value's own).
    other = {"page": home, "kept": Holder(home)}
    copy = copier(other)()
    assert copy["kept"].page is copy["page"]


class Holder:
    """An object with no pickling of its own (copyreg's protocol): pickled whole."""

    def __init__(self, page):
        self.page = page


def test_other_objects_are_pickled_once_and_unpickled_for_each_copy():
    holder = Holder("甲")
    make = copier(holder)
    assert isinstance(make, _Piece)
    holder.page = "乙"
    first, second = make(), make()
    assert first.page == second.page == "甲" and first is not second


def test_atoms_classes_and_tuples_of_atoms_are_shared():
    moment = datetime.datetime(2025, 4, 1, 8, 30, tzinfo=datetime.UTC)
    for value in ("文本", 3, 2.5, None, True, moment, decimal.Decimal("1.2"), Model, ("a", 1)):
        assert copier(value)() is value


@pytest.mark.django_db
def test_versioned_reads_use_the_copier(site_tree):
    page_cache._LOCAL.clear()
    home = Page.objects.get(pk=site_tree["home"].pk).specific
    first = page_cache.versioned("copier-test", lambda: home)
    key = next(key for key in page_cache._LOCAL if key.endswith(":copier-test"))
    assert isinstance(page_cache._LOCAL[key][1], _ModelMaker)
    again = page_cache.versioned("copier-test", lambda: None)
    assert again == home and again is not first and again is not home
    title = home.title
    first.title = again.title = "改过"  # the builder's value and a reader's copy
    assert page_cache.versioned("copier-test", lambda: None).title == title
