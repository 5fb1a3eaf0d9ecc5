"""Access-control matrix: every admin and staff URL against every role of the demo site.

The demo (``manage.py load_demo``) is loaded once for this module inside a transaction that
is rolled back at the end, so the groups, their permissions and the accounts are exactly the
ones the demo gives (cms/roles.py, cms/demo.py and the apps' demo loaders), plus one logged-in
user in no group. ``GET_MATRIX`` and ``POST_MATRIX`` are the expected table: a role listed is
allowed (GET 200, POST 302 to a page that is not the login and the change is made), every other
role is refused (anonymous and no-group users to the login, the others 302/403) and a refused
POST changes nothing in the database.

The second half holds the public side: references and file ids cannot be guessed from public
URLs, and the receipt and tracking pages show no personal data.
"""

import re

import pytest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client

from wagtail.models import Page, Site

from cms import roles
from cms.tests.demo import demo_loaded
from services import pipeline
from services.tests.conftest import DETAILS, VALID_CODE, _started_token

# Each test runs in its own savepoint inside the module's demo transaction (see ``demo``).
pytestmark = pytest.mark.django_db

ANON, NOGROUP, EDITOR, MODERATOR, OFFICER, SUPER = (
    "anonymous",
    "no_groups",
    "editor",
    "moderator",
    "officer",
    "superuser",
)
LOGIN = "/admin/login/"
ROLES = [ANON, NOGROUP, EDITOR, MODERATOR, OFFICER, SUPER]
STAFF = {EDITOR, MODERATOR, OFFICER, SUPER}
CONTENT = {EDITOR, MODERATOR, SUPER}  # Wagtail's Editors and Moderators groups, and the superuser
REQUESTS = {OFFICER, SUPER}  # services.view/change_servicerequest, view/change/delete_expertquestion
ONLY_SUPER = {SUPER}

# url template -> roles allowed to GET it. Placeholders are filled from the demo (see ``ids``).
GET_MATRIX = {
    "/admin/": STAFF,
    # Service requests (and consultations, the same pipeline): list, exports, detail, files.
    "/admin/servicerequest/": REQUESTS,
    "/admin/servicerequest/results/": REQUESTS,
    "/admin/servicerequest/?export=csv": REQUESTS,
    "/admin/servicerequest/?export=xlsx": REQUESTS,
    "/admin/servicerequest/?category=consultation": REQUESTS,
    "/admin/servicerequest/inspect/{request}/": REQUESTS,
    "/admin/servicerequest/inspect/{consultation}/": REQUESTS,
    "/admin/services/attachments/{attachment}/": REQUESTS,
    # 留言 moderation.
    "/admin/expert_questions/": REQUESTS,
    "/admin/expert_questions/?export=csv": REQUESTS,
    "/admin/expert_questions/inspect/{question}/": REQUESTS,
    "/admin/expert_questions/edit/{question}/": REQUESTS,
    "/admin/expert_questions/delete/{question}/": REQUESTS,
    # The enterprise register (中小企业库), officer groups and the analysis page: officers only.
    "/admin/enterprise/": REQUESTS,
    "/admin/enterprise/?export=csv": REQUESTS,
    "/admin/enterprise/?export=xlsx": REQUESTS,
    "/admin/enterprise/?mine=true": REQUESTS,
    "/admin/enterprise/inspect/{enterprise}/": REQUESTS,
    "/admin/enterprise/edit/{enterprise}/": REQUESTS,
    "/admin/enterprise/import/": REQUESTS,
    "/admin/officergroup/": REQUESTS,
    "/admin/enterprise-analysis/": REQUESTS,
    # Collaboration items are pages: the page editors' business.
    "/admin/collaboration_items/": CONTENT,
    # Taxonomy snippets: Editors add and change, Moderators also delete.
    "/admin/snippets/cms/region/": CONTENT,
    "/admin/snippets/cms/region/add/": CONTENT,
    "/admin/snippets/cms/region/edit/{region}/": CONTENT,
    "/admin/snippets/cms/region/delete/{region}/": {MODERATOR, SUPER},
    "/admin/snippets/cms/topic/": CONTENT,
    "/admin/snippets/cms/organisation/": CONTENT,
    "/admin/snippets/cms/organisation/?export=csv": CONTENT,
    "/admin/snippets/services/techfield/": {EDITOR, SUPER},
    "/admin/snippets/services/techfield/add/": {EDITOR, SUPER},
    # Search vocabulary and promoted results: nobody but the superuser.
    "/admin/snippets/site_search/searchterm/": ONLY_SUPER,
    "/admin/snippets/site_search/searchterm/add/": ONLY_SUPER,
    "/admin/snippets/site_search/searchsynonym/": ONLY_SUPER,
    "/admin/searchpicks/": ONLY_SUPER,
    # Site settings: Moderators.
    "/admin/settings/cms/sitesettings/{site}/": {MODERATOR, SUPER},
    "/admin/settings/news/newssettings/{site}/": {MODERATOR, SUPER},
    # Pages.
    "/admin/pages/": CONTENT,
    "/admin/pages/{news_index}/": CONTENT,
    "/admin/pages/{article}/edit/": CONTENT,
    "/admin/pages/add/news/articlepage/{news_index}/": CONTENT,
    "/admin/pages/{article}/delete/": {MODERATOR, SUPER},
    "/admin/images/": CONTENT,
    "/admin/documents/": CONTENT,
    # Accounts and site structure.
    "/admin/users/": ONLY_SUPER,
    "/admin/users/new/": ONLY_SUPER,
    "/admin/users/edit/{officer_user}/": ONLY_SUPER,
    "/admin/groups/": ONLY_SUPER,
    "/admin/sites/": ONLY_SUPER,
    "/admin/redirects/": ONLY_SUPER,
    "/admin/workflows/list/": ONLY_SUPER,
}

COMPANY = "示例矩阵测试科技有限公司"
CONTACT = "矩阵联系人"
PHONE = "13912345678"
EMAIL = "matrix-sme@example.org"
PERSONAL = [COMPANY, CONTACT, PHONE, "139****5678", "139 1234 5678", EMAIL, VALID_CODE]


def make_request(category="financing", **overrides):
    fields = {
        "company_name": COMPANY,
        "credit_code": VALID_CODE,
        "tier": "municipal",
        "industry": "制造业",
        "employees": 12,
        "contact_name": CONTACT,
        "phone": PHONE,
        "email": EMAIL,
        "description": "矩阵测试需求",
        **overrides,
    }
    details = {"expert": "示例专家", "topic": "病虫害"} if category == "consultation" else None
    if category == "financing":
        details = {"amount": "500", "financing_type": "loan", "term_months": 12, "purpose": "设备"}
        details["last_year_revenue"] = "1"
    return pipeline.create_request(category, fields, details, notify=False)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo site with its roles, loaded once and rolled back after the module."""
    with demo_loaded(django_db_blocker):
        yield _demo_objects()


def _demo_objects():
    from cms.models import Region
    from news.models import ArticlePage, NewsIndexPage
    from services.models import Enterprise, ExpertQuestion, RequestAttachment

    User = get_user_model()
    users = {
        ANON: None,
        NOGROUP: User.objects.create_user("nogroups", "nogroups@example.org", "pw"),
        EDITOR: User.objects.get(username="editor"),
        MODERATOR: User.objects.get(username="moderator"),
        OFFICER: User.objects.get(username="officer"),
        SUPER: User.objects.get(username="admin"),
    }
    service_request = make_request()
    attachment = RequestAttachment(
        request=service_request, original_name="营业执照.pdf", content_type="application/pdf", size=9
    )
    attachment.file.save("licence.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    consultation = make_request("consultation", credit_code="")
    ids = {
        "request": service_request.pk,
        "consultation": consultation.pk,
        "attachment": attachment.pk,
        "question": ExpertQuestion.objects.first().pk,
        "region": Region.objects.get(slug="wulong").pk,
        "site": Site.objects.get(is_default_site=True).pk,
        "news_index": NewsIndexPage.objects.get().pk,
        "article": ArticlePage.objects.live().first().pk,
        "officer_user": users[OFFICER].pk,
        "enterprise": Enterprise.objects.get(credit_code=VALID_CODE).pk,
    }
    return {"users": users, "ids": ids, "request": service_request, "attachment": attachment}


def client_for(demo, role):
    client = Client()
    if demo["users"][role] is not None:
        client.force_login(demo["users"][role])
    return client


TYPED_BACK = re.compile(r"<input[^>]*>")


def shown(response):
    """The page text without the form inputs, which echo what the visitor typed."""
    return TYPED_BACK.sub("", response.content.decode())


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def refusal_problem(role, response):
    """None when ``response`` is a proper refusal for ``role``, else what is wrong with it."""
    if role in (ANON, NOGROUP):
        # Not an admin user at all: Wagtail sends them to its login page.
        if response.status_code != 302 or not response["Location"].startswith(LOGIN):
            return f"{response.status_code} {response.get('Location', '')}, expected the login page"
    elif response.status_code not in (302, 403):
        return f"{response.status_code}, expected 302/403"
    elif response.status_code == 302 and response["Location"] not in ("/admin/", "/admin/login/"):
        return f"302 to {response['Location']}, expected the dashboard"
    return None


def test_get_matrix(demo):
    """Each cell of GET_MATRIX, per role; all mismatches are reported at once."""
    problems = []
    cells = 0
    for role in ROLES:
        client = client_for(demo, role)
        for template, allowed in GET_MATRIX.items():
            url = template.format(**demo["ids"])
            response = client.get(url)
            body = body_of(response)
            cells += 1
            if role in allowed:
                if response.status_code != 200:
                    problems.append(f"{role:10} {url}: {response.status_code}, expected 200")
            else:
                problem = refusal_problem(role, response)
                if problem:
                    problems.append(f"{role:10} {url}: {problem}")
                leaked = [text for text in PERSONAL if text.encode() in body] + (["%PDF"] if b"%PDF" in body else [])
                if leaked:
                    problems.append(f"{role:10} {url}: refused but shows {leaked}")
    assert cells == len(ROLES) * len(GET_MATRIX)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------
# POST actions: each builds its own target, so an allowed role's change never hides a refusal.


def _handle_request(demo, role, category="financing"):
    target = make_request(category, **({"credit_code": ""} if category == "consultation" else {}))
    data = {"status": "accepted", "assignee": demo["users"][OFFICER].pk, "note": "已受理", "note_public": "on"}

    def state():
        target.refresh_from_db()
        return target.status, target.assignee_id, target.events.count()

    return f"/admin/servicerequest/inspect/{target.pk}/", data, state


def _handle_consultation(demo, role):
    return _handle_request(demo, role, "consultation")


def _new_question():
    from services.models import ExpertPage, ExpertQuestion

    return ExpertQuestion.objects.create(
        expert=ExpertPage.objects.first(),
        name="王五",
        contact="13800000000",
        question="矩阵测试的问题，请专家答复。",
        consent_to_publish=True,
    )


def _answer_question(demo, role):
    question = _new_question()

    def state():
        question.refresh_from_db()
        return question.answer, question.status, question.answered_by_id

    return f"/admin/expert_questions/edit/{question.pk}/", {"answer": "专家答复", "status": "published"}, state


def _delete_question(demo, role):
    from services.models import ExpertQuestion

    question = _new_question()
    return (
        f"/admin/expert_questions/delete/{question.pk}/",
        {},
        lambda: ExpertQuestion.objects.filter(pk=question.pk).exists(),
    )


def _add_region(demo, role):
    from cms.models import Region

    name = f"矩阵区{role}"
    data = {"name": name, "slug": f"matrix-{role}", "level": "district", "sort_order": "0"}
    return "/admin/snippets/cms/region/add/", data, lambda: Region.objects.filter(name=name).exists()


def _delete_region(demo, role):
    from cms.models import Region

    region = Region.objects.create(name=f"待删区{role}", slug=f"delete-{role}")
    return (
        f"/admin/snippets/cms/region/delete/{region.pk}/",
        {},
        lambda: Region.objects.filter(pk=region.pk).exists(),
    )


def _add_techfield(demo, role):
    from services.models import TechField

    name = f"矩阵领域{role}"
    data = {"name": name, "slug": f"matrix-{role}", "sort_order": "0"}
    return "/admin/snippets/services/techfield/add/", data, lambda: TechField.objects.filter(name=name).exists()


def _add_search_term(demo, role):
    from search.models import SearchTerm

    word = f"矩阵词{role}"
    return (
        "/admin/snippets/site_search/searchterm/add/",
        {"word": word, "note": ""},
        lambda: SearchTerm.objects.filter(word=word).exists(),
    )


def _change_site_settings(demo, role):
    from cms.models import SiteSettings

    site = Site.objects.get(is_default_site=True)
    current = SiteSettings.for_site(site)
    data = {
        "site_description": current.site_description,
        "sponsor": current.sponsor,
        "privacy_page": current.privacy_page_id or "",
        "default_social_image": current.default_social_image_id or "",
        "contact_phone": f"023-6000{ROLES.index(role)}000",
        "contact_email": current.contact_email,
        "address": current.address,
        "icp_number": current.icp_number,
        "public_security_number": current.public_security_number,
    }
    return (
        f"/admin/settings/cms/sitesettings/{site.pk}/",
        data,
        lambda: SiteSettings.objects.get(site=site).contact_phone,
    )


def _new_article(role):
    from news.factories import ArticlePageFactory
    from news.models import NewsIndexPage

    return ArticlePageFactory(parent=NewsIndexPage.objects.get(), title=f"矩阵新闻{role}", slug=f"matrix-{role}")


def _unpublish_page(demo, role):
    page = _new_article(role)
    return f"/admin/pages/{page.pk}/unpublish/", {}, lambda: Page.objects.get(pk=page.pk).live


def _delete_page(demo, role):
    page = _new_article(role)
    return f"/admin/pages/{page.pk}/delete/", {}, lambda: Page.objects.filter(pk=page.pk).exists()


def _add_user(demo, role):
    username = f"matrix-{role}"
    data = {
        "username": username,
        "email": f"{username}@example.org",
        "first_name": "矩",
        "last_name": "阵",
        "password1": "a-long-Password-2026",
        "password2": "a-long-Password-2026",
    }
    return "/admin/users/new/", data, lambda: get_user_model().objects.filter(username=username).exists()


def _delete_officers_group(demo, role):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=roles.OFFICERS)
    return f"/admin/groups/delete/{group.pk}/", {}, lambda: Group.objects.filter(pk=group.pk).exists()


# action -> (roles allowed, builder of (url, data, state function))
POST_MATRIX = {
    "request: accept, assign, note": (REQUESTS, _handle_request),
    "consultation: accept, assign, note": (REQUESTS, _handle_consultation),
    "留言: answer and publish": (REQUESTS, _answer_question),
    "留言: delete": (REQUESTS, _delete_question),
    "region: add": (CONTENT, _add_region),
    "region: delete": ({MODERATOR, SUPER}, _delete_region),
    "tech field: add": ({EDITOR, SUPER}, _add_techfield),
    "search term: add": (ONLY_SUPER, _add_search_term),
    "site settings: change": ({MODERATOR, SUPER}, _change_site_settings),
    "page: unpublish": ({MODERATOR, SUPER}, _unpublish_page),
    "page: delete": ({MODERATOR, SUPER}, _delete_page),
    "user: add": (ONLY_SUPER, _add_user),
}


@pytest.mark.parametrize("action", list(POST_MATRIX))
def test_post_matrix(demo, action):
    allowed, build = POST_MATRIX[action]
    problems = []
    # Refused roles first: each allowed role then proves the same POST really works.
    for role in sorted(ROLES, key=lambda role: role in allowed):
        url, data, state = build(demo, role)
        before = state()
        response = client_for(demo, role).post(url, data)
        after = state()
        if role in allowed:
            location = response.get("Location", "")
            if response.status_code != 302 or "/login/" in location:
                problems.append(f"{role:10} {response.status_code} {location}, expected a redirect after saving")
            if after == before:
                problems.append(f"{role:10} allowed but nothing changed ({before!r})")
        else:
            problem = refusal_problem(role, response)
            if problem:
                problems.append(f"{role:10} {problem}")
            if after != before:
                problems.append(f"{role:10} refused but the database changed: {before!r} -> {after!r}")
    assert not problems, "\n".join(problems)


def test_group_deletion_is_refused_to_every_role_but_the_superuser(demo):
    """Removing a role group (escalation by lock-out) is the superuser's alone; a refusal keeps it."""
    for role in (ANON, NOGROUP, EDITOR, MODERATOR, OFFICER):
        url, data, state = _delete_officers_group(demo, role)
        response = client_for(demo, role).post(url, data)
        assert refusal_problem(role, response) is None, role
        assert state() is True


# ---------------------------------------------------------------------------
# Public side: nothing to guess, nothing personal shown.


def test_references_are_random_and_too_many_to_guess(demo):
    references = {pipeline.make_reference("FW", 2026) for _ in range(2000)}
    assert len(references) == 2000  # no repeats in a sample: not a counter, not a small space
    suffixes = sorted(reference.split("-")[1] for reference in references)
    assert all(re.fullmatch(r"[2-9A-HJKMNP-Z]{6}", suffix) for suffix in suffixes)
    # Every position takes many characters: no fixed or sequential part to enumerate.
    for position in range(6):
        assert len({suffix[position] for suffix in suffixes}) > 25
    assert len(pipeline.REFERENCE_ALPHABET) ** pipeline.REFERENCE_LENGTH > 5 * 10**8


def test_receipt_is_only_for_the_submitting_session_and_shows_no_personal_data(demo):
    from cms.models import Region

    submitter = Client()
    data = {
        "company_name": COMPANY,
        "credit_code": VALID_CODE,
        "tier": "municipal",
        "region": str(Region.objects.get(slug="jiangbei").pk),
        "industry": "汽车零部件制造",
        "employees": "120",
        "contact_name": CONTACT,
        "phone": PHONE,
        "email": EMAIL,
        "description": "需要帮助",
        "consent": "on",
        "website": "",
        "started": _started_token(),
        **{f"detail-{name}": value for name, value in DETAILS["design"].items()},
    }
    response = submitter.post("/services/design/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    receipt_url = response["Location"]
    reference = receipt_url.rstrip("/").rsplit("/", 1)[1]
    receipt = submitter.get(receipt_url)
    assert receipt.status_code == 200 and reference in receipt.content.decode()
    body = receipt.content.decode()
    assert not [text for text in PERSONAL if text in body]
    # Another browser with the right reference, and a made-up reference, both get the same 404.
    assert Client().get(receipt_url).status_code == 404
    assert submitter.get(receipt_url.replace(reference, "FW2026-222222")).status_code == 404


def test_tracking_shows_progress_without_personal_data_and_says_nothing_on_a_wrong_phone(demo):
    service_request = make_request()
    right = Client().post("/services/track/", {"reference": service_request.reference, "phone": PHONE})
    assert right.status_code == 200 and right.context["service_request"] == service_request
    body = right.content.decode()
    assert service_request.reference in body
    assert not [text for text in PERSONAL if text in shown(right)]

    wrong_phone = Client().post("/services/track/", {"reference": service_request.reference, "phone": "13700000000"})
    unknown = Client().post("/services/track/", {"reference": "FW2026-222222", "phone": PHONE})
    assert wrong_phone.status_code == unknown.status_code == 404
    assert wrong_phone.context["message"] == unknown.context["message"]
    assert wrong_phone.context["service_request"] is None and unknown.context["service_request"] is None
    for response in (wrong_phone, unknown):
        text = shown(response)
        assert not [item for item in PERSONAL if item in text]
        assert service_request.get_status_display() not in text.split("<main", 1)[-1].split("<form", 1)[0]
    # The two pages differ only in the reference typed back into the form.
    strip = re.compile(r'(value="[^"]*"|name="csrfmiddlewaretoken"[^>]*)')
    assert strip.sub("", wrong_phone.content.decode()) == strip.sub("", unknown.content.decode())


def test_guessing_references_on_the_tracking_page_is_throttled(demo):
    service_request = make_request()
    guesser = Client()
    limit = settings.SERVICES_TRACK_FAILURE_RATE[0]
    for number in range(limit):
        response = guesser.post("/services/track/", {"reference": f"FW2026-2222{number + 22}", "phone": PHONE})
        assert response.status_code == 404
    # Even the right pair is refused now: a guesser cannot confirm a hit.
    response = guesser.post("/services/track/", {"reference": service_request.reference, "phone": PHONE})
    assert response.status_code == 429
    assert response.context["service_request"] is None
    assert not [text for text in PERSONAL if text in shown(response)]


def test_private_files_are_not_under_media_and_need_permission(demo):
    from pathlib import Path

    attachment = demo["attachment"]
    path = Path(attachment.file.path).resolve()
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    # A random name: neither the original name nor the request's reference or id.
    assert "营业执照" not in attachment.file.name and demo["request"].reference not in attachment.file.name
    assert re.search(r"/[0-9a-f]{32}\.pdf$", attachment.file.name)
    public = Client()
    for guess in (
        attachment.file.url,  # FileSystemStorage falls back to MEDIA_URL: the link must lead nowhere
        settings.MEDIA_URL + attachment.file.name,
        settings.MEDIA_URL + "private/" + attachment.file.name,
        settings.MEDIA_URL + "../private-media/" + attachment.file.name,
    ):
        response = public.get(guess)
        assert response.status_code in (400, 404), guess  # 400: Django refuses the ../ outright
        assert b"%PDF" not in body_of(response)
    # Staff without the permission get the same answer for a real id and a missing one: no probing ids.
    editor = client_for(demo, EDITOR)
    real = editor.get(f"/admin/services/attachments/{attachment.pk}/")
    missing = editor.get("/admin/services/attachments/999999/")
    assert (real.status_code, real.get("Location")) == (missing.status_code, missing.get("Location"))
    assert real.status_code in (302, 403)
