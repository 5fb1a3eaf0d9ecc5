"""50 submissions at the same moment against a live server: all saved, 50 distinct references."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.request
import uuid

import pytest

from django.core.servers.basehttp import ThreadedWSGIServer

from services.models import RequestEvent, ServiceRequest

pytestmark = pytest.mark.django_db(transaction=True)

SUBMISSIONS = 50

# Django's test server listens with a backlog of 10, so 50 connections opened in the same
# instant are reset by the kernel before the application sees them. Production servers
# (gunicorn) listen with a backlog of 2048; give the live test server a realistic one. Set at
# import time because live_server is session-scoped and binds its socket once.
ThreadedWSGIServer.request_queue_size = 128


def multipart(fields):
    boundary = uuid.uuid4().hex
    lines = []
    for name, value in fields:
        lines += [f"--{boundary}", f'Content-Disposition: form-data; name="{name}"', "", str(value)]
    lines += [f"--{boundary}--", ""]
    return "\r\n".join(lines).encode(), f"multipart/form-data; boundary={boundary}"


def submit_one(url, data, barrier, results):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        page = opener.open(url, timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        started = re.search(r'name="started" value="([^"]+)"', page).group(1)
        fields = [*data, ("csrfmiddlewaretoken", token), ("started", started)]
        body, content_type = multipart(fields)
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": content_type, "Referer": url}, method="POST"
        )
        # Redirects are not followed: the 302 to the receipt is the success signal.
        no_redirect = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar),
            type(
                "NoRedirect", (urllib.request.HTTPRedirectHandler,), {"redirect_request": lambda *args, **kwargs: None}
            ),
        )
        barrier.wait(timeout=60)
        try:
            response = no_redirect.open(request, timeout=120)
            results.append((response.status, response.headers.get("Location")))
        except urllib.error.HTTPError as error:
            results.append((error.code, error.headers.get("Location")))
    except Exception as error:  # recorded, so the assertion shows what went wrong
        results.append(("error", repr(error)))


def test_fifty_simultaneous_submissions(live_server, service_pages, district, settings):
    from services.tests.conftest import DETAILS, VALID_CODE

    settings.SERVICES_SUBMIT_RATE = (10_000, 3600)
    url = f"{live_server.url}/services/testing/"
    data = [
        ("company_name", "并发测试企业"),
        ("credit_code", VALID_CODE),
        ("tier", "other"),
        ("region", district.pk),
        ("industry", "制造业"),
        ("employees", 20),
        ("contact_name", "赵六"),
        ("phone", "13812345678"),
        ("description", "并发提交"),
        ("consent", "on"),
        *[(f"detail-{name}", value) for name, value in DETAILS["testing"].items() if not isinstance(value, list)],
        ("detail-reports", "CMA"),
    ]
    barrier = threading.Barrier(SUBMISSIONS)
    results = []
    threads = [threading.Thread(target=submit_one, args=(url, data, barrier, results)) for _ in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    errors = [result for result in results if result[0] != 302]
    assert errors == []
    assert len(results) == SUBMISSIONS
    references = set(ServiceRequest.objects.values_list("reference", flat=True))
    assert len(references) == SUBMISSIONS
    assert {location.rsplit("/", 2)[-2] for _status, location in results} == references
    assert RequestEvent.objects.filter(action="submitted").count() == SUBMISSIONS
