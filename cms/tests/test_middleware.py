"""cms.middleware: messages made only when used, the SHA-1 ETag, the anonymous user without
a session lookup."""

import hashlib

import pytest

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.functional import empty

from cms.middleware import AuthenticationMiddleware, ConditionalGetMiddleware, MessageMiddleware


def with_session(request, session_key=None):
    request.session = SessionStore(session_key)
    return request


def test_a_view_that_uses_no_messages_makes_no_storage():
    request = with_session(RequestFactory().get("/"))
    response = MessageMiddleware(lambda request: HttpResponse("ok"))(request)
    assert request._messages._wrapped is empty
    assert CookieStorage.cookie_name not in response.cookies


def test_a_message_added_is_stored_for_the_next_request():
    def view(request):
        messages.success(request, "留言已提交")
        return HttpResponse("ok")

    request = with_session(RequestFactory().get("/"))
    response = MessageMiddleware(view)(request)
    assert CookieStorage.cookie_name in response.cookies
    following = with_session(RequestFactory().get("/"))
    following.COOKIES[CookieStorage.cookie_name] = response.cookies[CookieStorage.cookie_name].value
    shown = []

    def read(request):
        shown.extend(str(message) for message in messages.get_messages(request))
        return HttpResponse("ok")

    after = MessageMiddleware(read)(following)
    assert shown == ["留言已提交"]
    # Read, so the cookie is cleared.
    assert after.cookies[CookieStorage.cookie_name].value == ""


def test_a_read_storage_is_saved():
    request = with_session(RequestFactory().get("/"))

    def view(request):
        list(messages.get_messages(request))
        return HttpResponse("ok")

    MessageMiddleware(view)(request)
    assert request._messages._wrapped is not empty and request._messages.used


class WatchedSession(SessionStore):
    """A session that notes the keys looked up in it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.looked_up = []

    def __getitem__(self, key):
        self.looked_up.append(key)
        return super().__getitem__(key)


def test_a_visitor_without_a_session_is_anonymous_without_a_lookup():
    request = RequestFactory().get("/")
    request.session = WatchedSession()
    AuthenticationMiddleware(lambda request: HttpResponse()).process_request(request)
    assert request.user.is_anonymous and isinstance(request._cached_user, AnonymousUser)
    assert request.session.looked_up == []


@pytest.mark.django_db
def test_a_signed_in_session_still_gives_its_user(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="x" * 12)  # nosec B106
    client.force_login(user)
    session_key = client.cookies["sessionid"].value
    request = with_session(RequestFactory().get("/"), session_key)
    AuthenticationMiddleware(lambda request: HttpResponse()).process_request(request)
    assert request.user.is_authenticated and request.user.pk == user.pk
    # An unknown session key is not "no session": Django's lookup answers anonymous.
    stale = RequestFactory().get("/")
    stale.session = WatchedSession("x" * 32)
    AuthenticationMiddleware(lambda request: HttpResponse()).process_request(stale)
    assert stale.user.is_anonymous
    assert stale.session.looked_up  # asked through Django's lookup


def test_the_etag_is_the_contents_sha1_and_answers_304():
    body = "政策页面".encode() * 1000
    response = ConditionalGetMiddleware(lambda request: HttpResponse(body))(RequestFactory().get("/"))
    etag = f'"{hashlib.sha1(body, usedforsecurity=False).hexdigest()}"'
    assert response["ETag"] == etag
    again = ConditionalGetMiddleware(lambda request: HttpResponse(body))(
        RequestFactory().get("/", HTTP_IF_NONE_MATCH=etag)
    )
    assert again.status_code == 304
    changed = ConditionalGetMiddleware(lambda request: HttpResponse(body + b"!"))(
        RequestFactory().get("/", HTTP_IF_NONE_MATCH=etag)
    )
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_view_etag_and_other_methods_are_left_alone():
    def own(request):
        response = HttpResponse("ok")
        response["ETag"] = '"mine"'
        return response

    assert ConditionalGetMiddleware(own)(RequestFactory().get("/"))["ETag"] == '"mine"'
    posted = ConditionalGetMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().post("/"))
    assert not posted.has_header("ETag")
