"""Fixtures for the services tests: service pages, role users, valid form data, files."""

import datetime
import io
import zipfile

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cms import roles
from cms.choices import ServiceCategory
from cms.demo import grant
from cms.models import Region
from services.demo import OFFICER_ENTERPRISE_PERMISSIONS

VALID_CODE = "91330100799655058B"  # a real-format code with a correct check character


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Rate-limit counters live in the cache; each test starts clean and fills forms instantly."""
    cache.clear()
    settings.SERVICES_MIN_FILL_SECONDS = 0
    yield
    cache.clear()


@pytest.fixture
def service_pages(site_tree):
    from services.factories import ServicePageFactory

    index = site_tree["services"]
    pages = {category.value: ServicePageFactory(parent=index, category=category.value) for category in ServiceCategory}
    return {"index": index, **pages}


@pytest.fixture
def district(db):
    parent = Region.objects.create(name="重庆", slug="chongqing", level="province")
    return Region.objects.create(name="江北区", slug="jiangbei", level="district", parent=parent)


def _user(username, group=None, superuser=False):
    User = get_user_model()
    user = User.objects.create_user(username, f"{username}@example.org", "pw", is_superuser=superuser)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def groups(db):
    grant(roles.EDITORS, "wagtailadmin.access_admin")
    grant(roles.MODERATORS, "wagtailadmin.access_admin")
    grant(
        roles.OFFICERS,
        "wagtailadmin.access_admin",
        "services.view_servicerequest",
        "services.change_servicerequest",
        *OFFICER_ENTERPRISE_PERMISSIONS,
    )


@pytest.fixture
def officer(groups):
    return _user("officer1", roles.OFFICERS)


@pytest.fixture
def editor(groups):
    return _user("editor1", roles.EDITORS)


@pytest.fixture
def moderator(groups):
    return _user("moderator1", roles.MODERATORS)


@pytest.fixture
def no_group_user(db):
    return _user("nobody1")


@pytest.fixture
def superuser(db):
    return _user("root", superuser=True)


def later(days=30):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


DETAILS = {
    "talent": {
        "mode": "both",
        "skills_or_positions": "工业机器人运维",
        "headcount": "12",
        "period_start": later(10),
        "period_end": later(40),
    },
    "testing": {
        "product": "减速器",
        "product_category": "机械零部件",
        "standards": "GB/T 10095.1-2008, GB/T 2423.1-2008",
        "test_items": "精度、噪声",
        "sample_count": "3",
        "reports": ["CMA", "CNAS"],
        "wanted_by": later(20),
    },
    "financing": {
        "amount": "500",
        "purpose": "购置设备",
        "term_months": "36",
        "financing_type": "loan",
        "collateral": "厂房",
        "last_year_revenue": "3000.5",
    },
    "design": {
        "product": "手持终端",
        "stage": "prototype",
        "deliverables": "样机",
        "budget": "20",
        "wanted_by": later(30),
    },
    "technology": {
        "problem": "寿命不足",
        "field": "智能制造",
        "partners": ["university", "enterprise"],
        "mode": "consortium",
        "budget": "200",
    },
}


def service_form_data(district, category="talent", started=""):
    """A valid POST of a service category's form (``started``: the anti-spam token)."""
    return {
        "company_name": "示例科技有限公司",
        "credit_code": VALID_CODE,
        "tier": "municipal",
        "region": str(district.pk),
        "industry": "汽车零部件制造",
        "employees": "120",
        "contact_name": "李四",
        "phone": "138 1234 5678",
        "email": "sme@example.org",
        "description": "需要帮助",
        "consent": "on",
        "website": "",
        "started": started,
        **{f"detail-{name}": value for name, value in DETAILS[category].items()},
    }


@pytest.fixture
def form_data(district):
    """A builder for a valid POST of a category; override any field by keyword."""

    def build(category="talent", **overrides):
        return {**service_form_data(district, category, started=_started_token()), **overrides}

    return build


def _started_token():
    from services.antispam import make_started_token

    return make_started_token()


def pdf_file(name="scan.pdf", size=None):
    body = b"%PDF-1.4\n%test\n" + (b"0" * (size - 15) if size else b"1 0 obj\n<<>>\nendobj\n%%EOF\n")
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png_file(name="photo.png"):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png")


def office_file(name, member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def exe_as_pdf(name="invoice.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, content_type="application/pdf")
