"""The seed's seven stories as demo content, and bulk sample articles."""

import re
from io import StringIO

import pytest

from django.core.management import call_command

from wagtail.models import Page

from cms.demo import read_seed
from news.demo import STORIES
from news.models import ArticlePage
from news.samples import SAMPLE_PREFIX

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("load_demo", "--skip-index", stdout=out)
    return out.getvalue()


def squeeze(text):
    return re.sub(r"\s+", "", text)


def test_demo_texts_are_the_seed_wording():
    seed = squeeze(read_seed())
    assert seed, "seed text not found"
    for story in STORIES:
        for paragraph in story["paragraphs"]:
            assert squeeze(paragraph) in seed, paragraph[:20]
        if "caption" in story:
            assert squeeze(story["caption"]) in seed
        for name, _role, _org in story["bylines"]:
            assert name in seed


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("chengyu-uhd-video-agreement", ["本报讯（重庆日报记者 杨骏）", "2021年9月15日"]),
        ("remote-imaging-diagnosis", ['<span class="photo-credit">重庆日报记者 张锦辉 摄</span>', "跳磴镇卫生院"]),
        ("zhifei-smart-ship-sea-trial", ["新华社青岛9月14日电（记者 王凯）", "2021年9月14日", "来源：新华社"]),
        ("jiangbei-youth-innovation-awards", ["本报讯（重庆日报记者 陈维灯）"]),
        ("robot-ai-contest-chongqing-selection", ["本报讯（重庆日报记者 王天翊）"]),
        ("little-giant-service-action-plan", ["本报讯（重庆日报记者 夏元）", "帮助中小企业数字化智能化转型"]),
        ("lu-yu-collaboration-platform-launch", ["本报讯（重庆日报记者 张亦筑）"]),
    ],
)
def test_seven_stories_render(client, demo, slug, expected):
    html = client.get(f"/news/{slug}/", HTTP_HOST="localhost").content.decode()
    for text in expected:
        assert text in html


def test_news_index_and_feeds_show_the_stories(client, demo):
    html = client.get("/news/", HTTP_HOST="localhost").content.decode()
    titles = [story["title"] for story in STORIES]
    assert all(title in html for title in titles)
    assert "图片新闻" in html
    assert client.get("/news/rss.xml", HTTP_HOST="localhost").status_code == 200
    assert ArticlePage.objects.live().count() == len(STORIES)
    assert all(article.lead_image_id for article in ArticlePage.objects.all())


def test_sample_articles_are_bulk_created_and_valid(client, demo):
    out = StringIO()
    call_command("load_demo", "--skip-index", "--sample-articles", "45", stdout=out)
    samples = ArticlePage.objects.filter(title__startswith=SAMPLE_PREFIX)
    assert samples.count() == 45
    assert "示例新闻 45/45" in out.getvalue()
    assert Page.find_problems() == ([], [], [], [], [])
    # The real stories stay on top; samples page through behind them.
    response = client.get("/news/?page=2", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert all(a.title.startswith(SAMPLE_PREFIX) for a in response.context["articles"])
    sample = samples.first()
    assert client.get(sample.url, HTTP_HOST="localhost").status_code == 200
    # Asking for the same number again adds nothing; a larger number tops up.
    call_command("load_demo", "--skip-index", "--sample-articles", "45", stdout=StringIO())
    assert samples.count() == 45
    call_command("load_demo", "--skip-index", "--sample-articles", "50", stdout=StringIO())
    assert samples.count() == 50
    assert Page.find_problems() == ([], [], [], [], [])
    # A sample can be edited and republished through the normal revision path.
    sample.specific.save_revision().publish()
