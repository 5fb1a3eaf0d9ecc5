"""The byline line the Chinese way, from the bylines an editor enters."""

import pytest

from cms.factories import OrganisationFactory
from news.bylines import byline_line, photo_credit
from news.models import ArticleByline

REPORTER = ArticleByline.Role.REPORTER
PHOTOGRAPHER = ArticleByline.Role.PHOTOGRAPHER
CORRESPONDENT = ArticleByline.Role.CORRESPONDENT


@pytest.fixture
def paper(db):
    return OrganisationFactory(name="重庆日报", slug="chongqing-daily")


def line(bylines, dateline="", own=True):
    return byline_line(dateline=dateline, is_own_paper=own, bylines=bylines)


def test_own_paper_reporter(paper):
    assert line([ArticleByline(name="杨骏", role=REPORTER, organisation=paper)]) == "本报讯（重庆日报记者 杨骏）"


def test_wire_copy_dateline_without_organisation():
    bylines = [ArticleByline(name="王凯", role=REPORTER)]
    assert line(bylines, dateline="新华社青岛9月14日电", own=False) == "新华社青岛9月14日电（记者 王凯）"


def test_reporters_of_one_paper_share_a_label_and_correspondents_follow(paper):
    bylines = [
        ArticleByline(name="杨骏", role=REPORTER, organisation=paper),
        ArticleByline(name="夏元", role=REPORTER, organisation=paper),
        ArticleByline(name="李明", role=CORRESPONDENT),
    ]
    assert line(bylines) == "本报讯（重庆日报记者 杨骏 夏元 通讯员 李明）"


def test_other_source_without_dateline_has_no_lead_in(paper):
    assert line([ArticleByline(name="王凯", role=REPORTER)], own=False) == "记者 王凯"


def test_picture_story_prints_no_lead_in():
    assert line([]) == ""
    assert line([], dateline="新华社北京9月15日电", own=False) == "新华社北京9月15日电"


def test_photo_credit(paper):
    assert (
        photo_credit([ArticleByline(name="张锦辉", role=PHOTOGRAPHER, organisation=paper)]) == "重庆日报记者 张锦辉 摄"
    )
    assert photo_credit([ArticleByline(name="王凯", role=PHOTOGRAPHER)]) == "王凯 摄"
    assert photo_credit([]) == ""
