import pytest

from cms.blocks import StoryBlock
from cms.demo import placeholder_image


@pytest.mark.django_db
def test_every_story_block_renders():
    image = placeholder_image("测试图片", "图片说明")
    block = StoryBlock()
    value = block.to_python(
        [
            {"type": "paragraph", "value": "<p>正文<b>加粗</b></p>"},
            {"type": "heading", "value": {"text": "小标题", "level": "h3"}},
            {
                "type": "image",
                "value": {
                    "image": {"image": image.pk, "alt_text": "示意图", "decorative": False},
                    "caption": "医生进行远程诊断",
                    "credit": "重庆日报记者 张锦辉 摄",
                },
            },
            {"type": "quote", "value": {"text": "引文内容", "attribution": "负责人"}},
            {
                "type": "table",
                "value": {
                    "caption": "统计",
                    "columns": [{"type": "text", "heading": "类别"}, {"type": "number", "heading": "数量"}],
                    "rows": [{"values": ["国家级小巨人", 118]}],
                },
            },
        ]
    )
    html = block.render(value)
    assert "<b>加粗</b>" in html
    assert '<h3 class="story-heading">小标题</h3>' in html
    assert "重庆日报记者 张锦辉 摄" in html
    assert 'alt="示意图"' in html
    assert "引文内容" in html and "负责人" in html
    assert '<th scope="col">类别</th>' in html and "118" in html


def test_every_story_block_has_picker_metadata():
    for name, child in StoryBlock().child_blocks.items():
        assert child.meta.icon, name
        assert child.meta.description, name
        assert child.meta.group, name
        assert getattr(child.meta, "template", None), name


def test_escapes_text_in_blocks():
    block = StoryBlock()
    value = block.to_python([{"type": "quote", "value": {"text": "<script>alert(1)</script>", "attribution": ""}}])
    html = block.render(value)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_fixed_choice_blocks_read_values_as_wagtails_do():
    from wagtail import blocks

    from cms.blocks import FixedChoiceBlock, FixedMultipleChoiceBlock
    from policy.blocks import MeasureBlock

    grouped = [("国家", [("1", "一"), ("2", "二")]), ("3", "三"), (2, "重复的二")]
    pairs = [
        (FixedChoiceBlock(choices=grouped, required=False), blocks.ChoiceBlock(choices=grouped, required=False)),
        (FixedMultipleChoiceBlock(choices=grouped), blocks.MultipleChoiceBlock(choices=grouped)),
    ]
    for child in MeasureBlock.base_blocks.values():
        if isinstance(child, FixedChoiceBlock | FixedMultipleChoiceBlock):
            plain = blocks.MultipleChoiceBlock if isinstance(child, blocks.MultipleChoiceBlock) else blocks.ChoiceBlock
            pairs.append((child, plain(**child._constructor_kwargs)))
    assert len(pairs) == 6  # kind, tiers, industries, service
    for fixed, plain in pairs:
        stored = [key for key, _label in plain.field.choices] + ["1", 2, "2", 3, "不存在", "", None]
        for value in stored:
            assert fixed.to_python(value) == plain.to_python(value), (fixed, value)
            assert type(fixed.to_python(value)) is type(plain.to_python(value)), (fixed, value)
        assert fixed.get_prep_value(fixed.to_python(["1", 2])) == plain.get_prep_value(plain.to_python(["1", 2]))


def test_struct_blocks_read_a_stream_as_wagtails_do():
    import datetime

    from wagtail import blocks

    from cms.blocks import StructBlock

    class Inner(StructBlock):
        text = blocks.CharBlock()
        day = blocks.DateBlock(required=False)

    class Outer(StructBlock):
        title = blocks.CharBlock(default="无题")
        day = blocks.DateBlock(required=False)
        level = blocks.ChoiceBlock(choices=[("h2", "二"), ("h3", "三")], default="h2")
        inner = Inner()
        tags = blocks.ListBlock(blocks.CharBlock())

    block = Outer()
    stored = [
        {"title": "一", "day": "2021-09-01", "level": "h3", "inner": {"text": "甲", "day": None}, "tags": ["a", "b"]},
        {"day": None, "inner": {"text": "乙"}},  # missing fields: their defaults
        {},
        {"title": "四", "level": "h2", "tags": [], "unknown": "ignored"},
    ]
    ours = block.bulk_to_python(stored)
    wagtails = blocks.StructBlock.bulk_to_python(block, stored)
    assert len(ours) == len(wagtails) == 4
    for mine, theirs in zip(ours, wagtails, strict=True):
        assert type(mine) is type(theirs)
        assert list(mine) == list(theirs) == ["title", "day", "level", "inner", "tags"]
        for name in ("title", "day", "level"):
            assert mine[name] == theirs[name]
        assert dict(mine["inner"]) == dict(theirs["inner"])
        assert list(mine["tags"]) == list(theirs["tags"])
    assert ours[0]["day"] == datetime.date(2021, 9, 1)
    assert ours[1]["title"] == "无题" and ours[1]["level"] == "h2"
    assert ours[2]["inner"]["text"] is None  # no stored value, no default: as Wagtail
    assert block.bulk_to_python([]) == []

    class Empty(StructBlock):
        pass

    assert [dict(value) for value in Empty().bulk_to_python([{}, {"x": 1}])] == [{}, {}]
    assert [type(value) for value in Empty().bulk_to_python([{}])] == [blocks.StructValue]
