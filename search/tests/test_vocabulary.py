"""Editors' dictionary words and synonyms take effect without a restart."""

import pytest

from wagtail.models import Page

from home.models import StandardPage
from search import segmentation
from search.models import SearchSynonym, SearchTerm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def restore_segmenter():
    yield
    segmentation.reset()


@pytest.fixture
def page(home_page):
    page = StandardPage(title="鲁渝共建武隆高山蔬菜研究所", body=[("paragraph", "<p>高山蔬菜示范</p>")])
    home_page.add_child(instance=page)
    return page


def found(query):
    return list(Page.objects.live().search(query))


def test_new_word_reloads_dictionary_and_reindexes(page, django_capture_on_commit_callbacks):
    assert "武隆高山" not in segmentation.query_terms("武隆高山")
    with django_capture_on_commit_callbacks(execute=True):
        SearchTerm.objects.create(word="武隆高山")
    assert segmentation.query_terms("武隆高山") == ["武隆高山"]
    # The existing page was re-indexed with the new word by the immediate task backend.
    assert found("武隆高山") == [page.page_ptr]


def test_synonym_applies_at_once(page, django_capture_on_commit_callbacks):
    assert found("菜蔬基地") == []
    with django_capture_on_commit_callbacks(execute=True):
        SearchSynonym.objects.create(terms="高山蔬菜\n菜蔬基地")
    assert found("菜蔬基地") == [page.page_ptr]


def test_deleting_synonym_removes_it(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        group = SearchSynonym.objects.create(terms="高山蔬菜，菜蔬基地")
    with django_capture_on_commit_callbacks(execute=True):
        group.delete()
    assert found("菜蔬基地") == []


def test_synonym_terms_split_on_common_separators():
    group = SearchSynonym(terms="市经信委、 重庆市经济和信息化委员会\n经信委;渝经信")
    assert group.term_list() == ["市经信委", "重庆市经济和信息化委员会", "经信委", "渝经信"]


def test_other_process_picks_up_version_bump(django_capture_on_commit_callbacks):
    before = segmentation.get_segmenter()
    segmentation.reload()
    # Simulate another process: its cached segmenter is older than the shared version.
    segmentation._segmenter, segmentation._version, segmentation._checked_at = before, -1, 0.0
    assert segmentation.get_segmenter() is not before


def test_admin_snippet_menu(admin_client):
    response = admin_client.get("/admin/snippets/site_search/searchterm/")
    assert response.status_code == 200
    response = admin_client.post("/admin/snippets/site_search/searchterm/add/", {"word": "智飞号", "note": ""})
    assert response.status_code == 302
    assert SearchTerm.objects.filter(word="智飞号").exists()
