import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from wagtail.test.utils.form_data import querydict_from_html

from cms import roles
from services.factories import ExpertQuestionFactory
from services.models import CollaborationItemPage, ExpertQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def officer_client(client):
    group, _ = Group.objects.get_or_create(name=roles.OFFICERS)
    for codename in ["access_admin", "view_expertquestion", "change_expertquestion"]:
        group.permissions.add(Permission.objects.get(codename=codename))
    user = get_user_model().objects.create_user("officer1", "o@example.org", "pw")
    user.groups.add(group)
    client.force_login(user)
    return client


def edit_form_data(client, page):
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return response, querydict_from_html(response.content.decode(), form_id="page-edit-form")


def test_item_edit_view_uses_local_leaflet_picker_and_saves_a_new_point(admin_client, collab):
    item = collab["items"]["platform"]
    response, data = edit_form_data(admin_client, item)
    html = response.content.decode()
    assert 'data-controller="leaflet-field"' in html
    assert "vendor/leaflet/leaflet.js" in html and "unpkg.com" not in html
    assert data["location"] == "SRID=4326;POINT(107.73 29.47)"
    data["location"] = "SRID=4326;POINT(107.6512 29.3821)"
    data["action-publish"] = "action-publish"
    response = admin_client.post(f"/admin/pages/{item.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item = CollaborationItemPage.objects.get(pk=item.pk)
    assert item.location == "SRID=4326;POINT(107.6512 29.3821)"
    geojson = admin_client.get("/collaboration/points.geojson").json()
    feature = next(f for f in geojson["features"] if f["id"] == item.pk)
    assert feature["geometry"]["coordinates"] == [107.6512, 29.3821]


@pytest.mark.parametrize("bad", ["SRID=4326;POINT(29.38 107.65)", "somewhere in Wulong", "SRID=3857;POINT(1 2)"])
def test_item_edit_view_rejects_a_bad_point_and_keeps_the_old_one(admin_client, collab, bad):
    item = collab["items"]["platform"]
    _response, data = edit_form_data(admin_client, item)
    data["location"] = bad
    data["action-publish"] = "action-publish"
    response = admin_client.post(f"/admin/pages/{item.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "纬度" in html or "位置格式" in html or "WGS-84" in html
    assert CollaborationItemPage.objects.get(pk=item.pk).location == "SRID=4326;POINT(107.73 29.47)"


def test_admin_listings_render_with_filters(admin_client, collab):
    ExpertQuestionFactory(expert=collab["experts"]["cq"])
    assert admin_client.get("/admin/collaboration_items/?kind=result").status_code == 200
    response = admin_client.get("/admin/expert_questions/?status=pending")
    assert response.status_code == 200
    assert "示例问题" in response.content.decode()
    export = admin_client.get("/admin/expert_questions/?export=csv")
    assert export.status_code == 200
    assert "13800000000" in b"".join(export.streaming_content).decode("utf-8-sig")


def test_officer_moderates_but_cannot_publish_without_answer(officer_client, collab):
    question = ExpertQuestionFactory(expert=collab["experts"]["cq"])
    url = f"/admin/expert_questions/edit/{question.pk}/"
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(url, {"answer": "", "status": "published"})
    assert response.status_code == 200
    assert "公开前请先填写专家答复" in response.content.decode()
    assert ExpertQuestion.objects.get(pk=question.pk).status == "pending"


def test_officer_cannot_publish_without_consent(officer_client, collab):
    question = ExpertQuestionFactory(expert=collab["experts"]["cq"], consent_to_publish=False)
    response = officer_client.post(
        f"/admin/expert_questions/edit/{question.pk}/", {"answer": "答复", "status": "published"}
    )
    assert response.status_code == 200
    assert "未同意公开" in response.content.decode()
    assert ExpertQuestion.objects.get(pk=question.pk).status == "pending"


def test_public_users_and_editors_without_permission_cannot_see_questions(client, collab):
    ExpertQuestionFactory(expert=collab["experts"]["cq"])
    response = client.get("/admin/expert_questions/")
    assert response.status_code == 302  # to the login page
    editor = get_user_model().objects.create_user("ed", "ed@example.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/expert_questions/").status_code in (302, 403)


def test_other_edit_views_render(admin_client, collab):
    for page in [collab["map"], collab["experts_index"], collab["experts"]["cq"]]:
        assert admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200, page
    index = collab["experts_index"]
    assert admin_client.get(f"/admin/pages/add/services/expertpage/{index.pk}/").status_code == 200
    assert admin_client.get(f"/admin/pages/add/services/collaborationitempage/{collab['map'].pk}/").status_code == 200
    assert admin_client.get("/admin/snippets/services/techfield/").status_code == 200


def test_latest_items_helper(collab):
    from services.models import CollaborationItemPage

    latest = list(CollaborationItemPage.latest(2))
    assert len(latest) == 2 and latest[0].pk == collab["items"]["base"].pk


def test_questions_cannot_be_added_in_the_admin(admin_client, collab):
    response = admin_client.get("/admin/expert_questions/new/")
    assert response.status_code in (302, 403)
    assert admin_client.post("/admin/expert_questions/new/", {"answer": "x"}).status_code in (302, 403)
    assert ExpertQuestion.objects.count() == 0
    assert "/admin/expert_questions/new/" not in admin_client.get("/admin/expert_questions/").content.decode()


def test_question_listing_query_count_does_not_grow(admin_client, collab):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get("/admin/expert_questions/").status_code == 200
        return len(queries.captured_queries)

    ExpertQuestionFactory(expert=collab["experts"]["cq"])
    count()
    before = count()
    for expert in [collab["experts"]["cq"], collab["experts"]["sd"]] * 3:
        ExpertQuestionFactory(expert=expert)
    assert count() == before
