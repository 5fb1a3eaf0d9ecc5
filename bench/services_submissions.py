"""Time service-request submissions and tracking lookups on a fresh SQLite file; prints figures.

.venv/bin/python bench/services_submissions.py [N]
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="bench-services-")) / "db.sqlite3")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main(count):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SERVICES_MIN_FILL_SECONDS = 0
    settings.SERVICES_SUBMIT_RATE = (10**6, 3600)
    settings.SERVICES_TRACK_FAILURE_RATE = (10**6, 900)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from cms.models import Region
    from services.antispam import make_started_token
    from services.models import ServiceRequest
    from services.tests.conftest import DETAILS, VALID_CODE

    region = Region.objects.filter(level="district").first()
    client = Client()
    data = {
        "company_name": "基准测试企业",
        "credit_code": VALID_CODE,
        "tier": "other",
        "region": region.pk,
        "industry": "制造业",
        "employees": 10,
        "contact_name": "测试",
        "phone": "13812345678",
        "email": "bench@example.org",
        "description": "基准",
        "consent": "on",
        **{f"detail-{key}": value for key, value in DETAILS["testing"].items()},
    }
    with CaptureQueriesContext(connection) as queries:
        client.post("/services/testing/", {**data, "started": make_started_token()})
    print(f"queries per submission (incl. notifications): {len(queries.captured_queries)}")
    start = time.perf_counter()
    for _ in range(count):
        response = client.post("/services/testing/", {**data, "started": make_started_token()})
        assert response.status_code == 302, response.status_code
    elapsed = time.perf_counter() - start
    print(f"{count} sequential submissions: {elapsed:.2f}s, {1000 * elapsed / count:.1f} ms each")
    reference = ServiceRequest.objects.first().reference
    start = time.perf_counter()
    for _ in range(count):
        client.post("/services/track/", {"reference": reference, "phone": "13812345678"})
    elapsed = time.perf_counter() - start
    print(f"{count} tracking lookups: {1000 * elapsed / count:.1f} ms each")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
