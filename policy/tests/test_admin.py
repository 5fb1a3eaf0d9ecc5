import pytest

from django.contrib.auth import get_user_model


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_admin_policy_listing_filters_and_exports(admin_client, known_data):
    response = admin_client.get("/admin/policy_documents/", {"doc_type": "notice"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "示例：检测补贴通知" in html and "示例：中小企业融资办法" not in html
    export = admin_client.get("/admin/policy_documents/", {"export": "csv"})
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "发文字号" in body and "渝经信发〔2023〕12号" in body


@pytest.mark.django_db
def test_admin_edit_form_has_metadata_tab_and_rejects_bad_doc_number(admin_client, known_data):
    page = known_data["new"]
    url = f"/admin/pages/{page.pk}/edit/"
    html = admin_client.get(url).content.decode()
    assert "元数据" in html and "扶持措施" in html
    add_url = f"/admin/pages/add/policy/policypage/{known_data['plan'].get_parent().pk}/"
    response = admin_client.post(
        add_url,
        {
            "title": "示例：新文件",
            "slug": "sample-new",
            "doc_number": "第十二号",
            "doc_type": "notice",
            "publish_date": "2024-01-01",
            "date_precision": "day",
            "body-count": "0",
            "measures-count": "0",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
            "issuers-TOTAL_FORMS": "1",
            "issuers-INITIAL_FORMS": "0",
            "issuers-MIN_NUM_FORMS": "1",
            "issuers-MAX_NUM_FORMS": "1000",
            "issuers-0-organisation": str(known_data["jjw"].pk),
            "issuers-0-ORDER": "1",
            "topics-TOTAL_FORMS": "0",
            "topics-INITIAL_FORMS": "0",
            "topics-MIN_NUM_FORMS": "0",
            "topics-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200  # the form comes back instead of saving
    assert "无法识别的发文字号" in response.content.decode()
    assert not page.get_parent().get_children().filter(slug="sample-new").exists()


@pytest.mark.django_db
def test_ofd_attachment_is_accepted(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wagtail.documents import get_document_model
    from wagtail.documents.forms import get_document_form

    Document = get_document_model()
    form_class = get_document_form(Document)
    upload = SimpleUploadedFile("通知.ofd", b"PK\x03\x04ofd", content_type="application/ofd")
    form = form_class({"title": "通知正文"}, {"file": upload})
    assert form.is_valid(), form.errors
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    assert not form_class({"title": "坏文件"}, {"file": bad}).is_valid()
