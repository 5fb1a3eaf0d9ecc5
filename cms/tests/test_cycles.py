"""Page views leave no reference cycles behind (see the note in ``cms.middleware``).

Objects in a cycle wait for the cyclic garbage collector, and so does everything they
hold; a view that leaves none frees what it made as soon as it has answered. Django's
own cycles that remain are listed where they are allowed: an image's file object points
back at its image or rendition, and forms and prefetched relations point both ways.
"""

import asyncio
import gc
import weakref
from io import StringIO

import pytest

from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import RequestFactory

from wagtail.models import Page

from cms.middleware import AuthenticationMiddleware, MessageMiddleware
from cms.models import SiteSettings
from home.models import HomePage

pytestmark = pytest.mark.django_db

# Django's file objects hold their model instance, which holds them.
IMAGE_FILE_CYCLES = {"Image", "Rendition", "WagtailImageFieldFile", "ModelState", "dict"}


def garbage_left_by(url):
    """Type names of the objects a second request for ``url`` left to the collector."""
    handler = WSGIHandler()

    def call():
        environ = RequestFactory(HTTP_HOST="localhost").get(url).environ
        status = []
        # As Django's test client does: the test's database connection stays open.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = handler(environ, lambda line, headers: status.append(line))
            content = b"".join(body)
            body.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return status[0], content

    call()  # builds the shared fragments and renditions, as the first visitor does
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        status, content = call()
        gc.collect()
        names = sorted({type(obj).__name__ for obj in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert status.startswith("200"), (url, status)
    assert content
    return names


@pytest.fixture
def demo(db):
    call_command("load_demo", "--skip-index", stdout=StringIO())


def test_content_pages_leave_no_cycles(demo):
    for url in (
        "/policies/cq-little-giant-service-action-plan/",  # stream fields with snippets and pages
        "/policies/cq-little-giant-action-plan-explained/",
        "/privacy/",
        "/services/",
        "/search/?q=小巨人",
    ):
        assert garbage_left_by(url) == [], url


def test_an_article_leaves_only_its_images_file_cycles(demo):
    left = garbage_left_by("/news/chengyu-uhd-video-agreement/")
    assert left  # the lead image's renditions: Django's cycle, allowed
    assert set(left) <= IMAGE_FILE_CYCLES, left


def freed_at_once(make):
    """Whether the object ``make()`` returns is freed as soon as the last name for it goes."""
    gc.disable()  # only reference counting may free it
    try:
        ref = weakref.ref(make())
        return ref() is None
    finally:
        gc.enable()


def test_request_user_holds_its_request_weakly(rf, django_user_model):
    user = django_user_model.objects.create_user("editor", password="x" * 12)  # nosec B106
    request = rf.get("/")
    request.session = {}
    AuthenticationMiddleware(lambda request: HttpResponse()).process_request(request)
    request._cached_user = user  # what a logged-in session resolves to
    assert request.user.username == "editor"

    held = []

    def handled_request():
        request = rf.get("/")
        request.session = {}
        AuthenticationMiddleware(lambda request: HttpResponse()).process_request(request)
        held.append((request.user, request.auser))
        return request

    assert freed_at_once(handled_request)
    lazy_user, auser = held[0]
    with pytest.raises(RuntimeError, match="after its request was freed"):
        lazy_user.is_authenticated  # noqa: B018 - evaluating it is the test
    with pytest.raises(RuntimeError, match="after its request was freed"):
        asyncio.run(auser())


def test_messages_still_reach_the_next_request(rf):
    response = HttpResponse()
    middleware = MessageMiddleware(lambda request: response)
    session = {}

    def handled_request():
        request = rf.get("/")
        request.session = session
        middleware.process_request(request)
        get_messages(request).add(messages.SUCCESS, "已提交")
        middleware.process_response(request, response)
        return request

    assert freed_at_once(handled_request)
    following = rf.get("/")
    following.session = session
    following.COOKIES["messages"] = response.cookies["messages"].value
    middleware.process_request(following)
    assert [message.message for message in get_messages(following)] == ["已提交"]


def test_a_page_is_its_own_specific_page_without_pointing_at_itself(site_tree):
    home = HomePage.objects.get(pk=site_tree["home"].pk)
    assert home.specific is home
    assert home.specific_deferred is home
    assert "specific" not in home.__dict__ and "specific_deferred" not in home.__dict__
    generic = home.page_ptr  # a wagtailcore Page: Wagtail's own property, kept as before
    assert generic.specific == home
    assert generic.__dict__["specific"] == home


def test_site_settings_hold_the_request_weakly(rf, site_tree):
    request = rf.get("/", HTTP_HOST="localhost")
    settings = SiteSettings.for_request(request)
    assert settings._request.path == "/"  # Wagtail's page_url still reads it
    settings.privacy_page = site_tree["news"]
    assert settings.page_url.privacy_page == "/news/"
    news = site_tree["news"]
    assert news.get_full_url(settings._request) == Page.get_full_url(news, request)  # a proxy: not kept
    assert SiteSettings.for_request(request) is settings  # kept on the request

    def handled_request():
        request = rf.get("/", HTTP_HOST="localhost")
        SiteSettings.for_request(request)
        return request

    assert freed_at_once(handled_request)
