"""Rich text values print what Wagtail's template for them prints (cms.rich_text)."""

import re
from io import StringIO
from unittest import mock

import pytest

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils.safestring import SafeString

from wagtail.models import Page
from wagtail.rich_text import RichText

from cms import rich_text


def wagtails(value):
    return rich_text._wagtail_html(value)


def test_installed():
    assert RichText.__html__ is rich_text.rich_text_html
    assert rich_text.stock_template()


@pytest.mark.django_db
def test_values_print_as_wagtails_template_prints_them():
    page = Page.objects.get(depth=1)
    sources = [
        "",
        "<p>重点支持<b>小巨人</b>企业 &amp; 中小企业</p>",
        f'<p><a linktype="page" id="{page.pk}">根</a> <a href="https://example.com/?a=1&amp;b=2">外部</a></p>',
        '<p><a linktype="page" id="999999">不存在的页面</a></p>',
        '<p><a linktype="document" id="999999">不存在的文件</a></p>',
        "<ul><li>一</li><li>二</li></ul>",
    ]
    for source in sources:
        ours = RichText(source).__html__()
        assert ours == wagtails(RichText(source)), source
        assert type(ours) is SafeString
        assert str(RichText(source)) == ours


OVERRIDE = {"wagtailcore/shared/richtext.html": '<div class="rt">{{ html|safe }}</div>'}


def templates(debug=False, overrides=None):
    options = {"debug": debug, "context_processors": []}
    if overrides:
        options["loaders"] = [
            ("django.template.loaders.locmem.Loader", overrides),
            "django.template.loaders.app_directories.Loader",
        ]
    else:
        options["loaders"] = ["django.template.loaders.app_directories.Loader"]
    return [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False, "OPTIONS": options}]


def test_an_overriding_template_is_rendered():
    with override_settings(TEMPLATES=templates(overrides=OVERRIDE)):
        assert not rich_text.stock_template()
        assert RichText("<p>x</p>").__html__() == '<div class="rt"><p>x</p></div>'
    assert rich_text.stock_template()  # looked at again once TEMPLATES changed back
    assert RichText("<p>x</p>").__html__() == "<p>x</p>"


def test_a_debug_engine_renders_the_template():
    with override_settings(TEMPLATES=templates(debug=True)):
        assert not rich_text.stock_template()
        with mock.patch.object(rich_text, "expand_db_html", side_effect=AssertionError("short path")):
            assert RichText("<p>y</p>").__html__() == "<p>y</p>"
    with override_settings(TEMPLATES=templates()):
        assert rich_text.stock_template()


NONCE = re.compile(r'nonce="[^"]*"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def unsalted(response):
    return CSRF.sub("", NONCE.sub("", response.content.decode()))


@pytest.fixture
def demo(db):
    call_command("load_demo", "--skip-index", stdout=StringIO())


def test_demo_pages_are_the_same_as_with_wagtails_rendering(client, demo):
    for url in (
        "/policies/cq-little-giant-service-action-plan/",
        "/news/chengyu-uhd-video-agreement/",
        "/",
        "/privacy/",
        "/collaboration/",
    ):
        cache.clear()
        with mock.patch.object(rich_text, "_wagtail_html", side_effect=rich_text._wagtail_html) as fallback:
            ours = client.get(url)
            assert fallback.call_count == 0, url
        cache.clear()
        with mock.patch.object(RichText, "__html__", rich_text._wagtail_html):
            theirs = client.get(url)
        assert ours.status_code == theirs.status_code == 200, url
        assert unsalted(ours) == unsalted(theirs), url
