import pytest

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings


@pytest.fixture
def officer(db):
    cache.clear()
    user = get_user_model().objects.create_superuser("boss", "boss@example.org", "right-password-123")
    yield user
    cache.clear()


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, HTTP_X_FORWARDED_FOR=""
    )


@override_settings(LOGIN_THROTTLE_LIMIT=3, LOGIN_THROTTLE_WINDOW=600)
def test_admin_login_is_refused_after_repeated_failures(client, officer):
    for _ in range(3):
        response = attempt(client, "boss", "wrong")
        assert response.status_code == 200
        assert "登录失败次数过多" not in response.content.decode()
    response = attempt(client, "boss", "right-password-123")
    assert response.status_code == 200  # the correct password no longer helps
    html = response.content.decode()
    assert "登录失败次数过多，请 10 分钟后再试。" in html
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_THROTTLE_LIMIT=3, LOGIN_THROTTLE_WINDOW=600)
def test_throttle_counts_per_address_across_usernames(client, officer):
    for name in ("a", "b", "c"):
        attempt(client, name, "wrong", ip="10.0.0.9")
    html = attempt(client, "boss", "right-password-123", ip="10.0.0.9").content.decode()
    assert "登录失败次数过多" in html
    # Another address can still log in as that user.
    response = attempt(client, "boss", "right-password-123", ip="10.0.0.10")
    assert response.status_code == 302


@override_settings(LOGIN_THROTTLE_LIMIT=3, LOGIN_THROTTLE_WINDOW=600)
def test_success_before_the_limit_resets_the_user_counter(client, officer):
    for _ in range(2):
        attempt(client, "boss", "wrong", ip="10.0.0.2")
    assert attempt(client, "boss", "right-password-123", ip="10.0.0.3").status_code == 302
    client.logout()
    for _ in range(2):
        attempt(client, "boss", "wrong", ip="10.0.0.4")
    assert attempt(client, "boss", "right-password-123", ip="10.0.0.5").status_code == 302


def test_client_ip_ignores_forged_forwarded_for(rf, settings):
    from cms.ratelimit import client_ip

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # what our proxy saw, not what the client wrote
