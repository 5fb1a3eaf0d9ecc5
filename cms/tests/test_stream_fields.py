"""A StreamField keeps one JSON field for reading its column (cms.stream_fields)."""

import copy

import pytest

from django.db.models import JSONField

from wagtail.fields import StreamField

from news.models import ArticlePage
from policy.models import PolicyPage


def test_each_stream_field_makes_its_json_field_once():
    body = ArticlePage._meta.get_field("body")
    measures = PolicyPage._meta.get_field("measures")
    assert isinstance(body.json_field, JSONField)
    assert body.json_field is body.json_field
    assert measures.json_field is not body.json_field
    assert StreamField([]).json_field is not body.json_field


def test_a_copied_field_still_reads_json():
    field = copy.deepcopy(PolicyPage._meta.get_field("measures"))  # as migrations copy fields
    assert field.json_field.from_db_value('[{"type": "measure", "value": {}}]', None, None) == [
        {"type": "measure", "value": {}}
    ]


@pytest.mark.django_db
def test_stream_values_read_back_as_written(site_tree):
    from policy.factories import PolicyPageFactory

    page = PolicyPageFactory(
        parent=site_tree["policies"],
        body=[
            ("chapter", {"number": "第一章", "title": "总则"}),
            ("article", {"number": "第一条", "text": "<p>甲</p>"}),
        ],
    )
    for _ in range(2):  # the second read goes through the kept field
        read = PolicyPage.objects.get(pk=page.pk)
        assert [child.block_type for child in read.body] == ["chapter", "article"]
        assert read.body[0].value["title"] == "总则"
        assert read.body.raw_data[1]["value"]["text"] == "<p>甲</p>"
