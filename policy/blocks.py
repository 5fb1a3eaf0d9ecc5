"""Blocks for policy documents: the clause-structured body (章/条) and support measures.

Clause anchors come from the clause's own number (``#第三条``), not from block ids, so a
link someone shared keeps pointing at the same clause after the document is edited.
"""

import re

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.formats import localize
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from cms.blocks import (
    RICH_TEXT_FEATURES,
    DocumentLinkBlock,
    FixedChoiceBlock,
    FixedMultipleChoiceBlock,
    PreparedPageChooserBlock,
    PreparedSnippetChooserBlock,
    StructBlock,
    TableBlock,
    parent_context_unused,
)
from cms.choices import EnterpriseTier, ServiceCategory, label_texts
from policy.choices import KIND_TO_SERVICE, Industry, MeasureKind

CLAUSE_GROUP = _("条文")
MEASURE_GROUP = _("扶持措施")

_NUMERAL = "零〇一二三四五六七八九十百千两0-9"
CHAPTER_NUMBER = re.compile(rf"^第[{_NUMERAL}]+章$")
ARTICLE_NUMBER = re.compile(rf"^第[{_NUMERAL}]+条$")


class ClauseAnchorMixin:
    """Gives the clause template ``anchor_label``, the screen-reader name of its ``#`` link."""

    @parent_context_unused
    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["anchor_label"] = gettext("链接到%(number)s") % {"number": value["number"]}
        return context


class ChapterBlock(ClauseAnchorMixin, StructBlock):
    number = blocks.CharBlock(label=_("章序号"), max_length=12, help_text=_("例如：第一章。用作链接锚点。"))
    title = blocks.CharBlock(label=_("章标题"), max_length=120)

    class Meta:
        icon = "title"
        label = _("章")
        template = "policy/blocks/chapter_block.html"
        description = _("文件的一章（第一章 总则），下面跟随本章各条。")
        preview_value = {"number": "第一章", "title": "总则"}
        group = CLAUSE_GROUP

    def clean(self, value):
        value = super().clean(value)
        if not CHAPTER_NUMBER.match(value["number"]):
            raise StructBlockValidationError(
                block_errors={"number": ErrorList([ValidationError(_("章序号应写成“第一章”的形式。"))])}
            )
        return value


class ArticleBlock(ClauseAnchorMixin, StructBlock):
    number = blocks.CharBlock(label=_("条序号"), max_length=12, help_text=_("例如：第三条。用作链接锚点 #第三条。"))
    text = blocks.RichTextBlock(label=_("条文"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "list-ol"
        label = _("条")
        template = "policy/blocks/article_block.html"
        description = _("文件的一条，带可以直接链接的锚点（例如 #第三条）。")
        preview_value = {
            "number": "第三条",
            "text": "<p>重点支持市内国家级专精特新“小巨人”企业。</p>",
        }
        group = CLAUSE_GROUP

    def clean(self, value):
        value = super().clean(value)
        if not ARTICLE_NUMBER.match(value["number"]):
            raise StructBlockValidationError(
                block_errors={"number": ErrorList([ValidationError(_("条序号应写成“第三条”的形式。"))])}
            )
        return value


class PolicyBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("段落"),
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        description=_("不分条的文字，例如序言或通知正文。"),
        preview_value="<p>为深入实施中小企业创新发展战略，制定本方案。</p>",
        group=CLAUSE_GROUP,
    )
    chapter = ChapterBlock()
    article = ArticleBlock()
    table = TableBlock()
    document = DocumentLinkBlock()

    class Meta:
        label = _("正文")

    def clean(self, value):
        value = super().clean(value)
        # Two clauses with one number would share an anchor and make #第三条 ambiguous.
        seen, errors = {}, {}
        for index, child in enumerate(value):
            if child.block_type in ("chapter", "article"):
                number = child.value["number"]
                if number in seen:
                    errors[index] = ErrorList([ValidationError(_("序号“%(number)s”重复。") % {"number": number})])
                seen[number] = index
        if errors:
            raise StreamBlockValidationError(block_errors=errors)
        return value


class MeasureBlock(StructBlock):
    title = blocks.CharBlock(label=_("措施名称"), max_length=120)
    kind = FixedChoiceBlock(label=_("类别"), choices=MeasureKind.choices, default=MeasureKind.OTHER)
    tiers = FixedMultipleChoiceBlock(
        label=_("适用企业层级"),
        choices=EnterpriseTier.choices,
        required=False,
        help_text=_("不选表示不限。较高层级的企业同样适用面向较低层级的措施。"),
    )
    regions = blocks.ListBlock(
        PreparedSnippetChooserBlock("cms.Region", label=_("地区")),
        label=_("适用地区"),
        required=False,
        default=[],
        help_text=_("不选表示不限；下级地区的企业同样适用。"),
    )
    industries = FixedMultipleChoiceBlock(
        label=_("适用行业"), choices=Industry.choices, required=False, help_text=_("不选表示不限。")
    )
    conditions = blocks.TextBlock(
        label=_("其他条件"),
        required=False,
        help_text=_("无法自动判断的条件，例如研发投入比例，匹配时提示企业自行核对。"),
    )
    benefit = blocks.TextBlock(label=_("支持内容"))
    amount = blocks.DecimalBlock(label=_("金额上限（万元）"), required=False, min_value=0, decimal_places=2)
    deadline = blocks.DateBlock(label=_("申报截止日期"), required=False)
    clause = blocks.CharBlock(label=_("对应条款"), required=False, max_length=12, help_text=_("例如：第三条"))
    service = FixedChoiceBlock(
        label=_("办理服务"),
        choices=ServiceCategory.choices,
        required=False,
        help_text=_("提供该措施的服务（/services/<类别>/）；不选则按类别推断。"),
    )
    link = PreparedPageChooserBlock(label=_("办理页面"), required=False)

    class Meta:
        icon = "tick-inverse"
        label = _("扶持措施")
        template = "policy/blocks/measure_block.html"
        description = _("一项扶持措施：谁可以享受、能得到什么、何时截止、到哪里办理。")
        preview_value = {
            "title": "融资服务",
            "kind": MeasureKind.FINANCING,
            "tiers": [EnterpriseTier.NATIONAL_LITTLE_GIANT],
            "benefit": "汇集企业融资需求，提供融资服务。",
            "service": ServiceCategory.FINANCING,
        }
        group = MEASURE_GROUP

    @parent_context_unused
    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        service = value.get("service") or KIND_TO_SERVICE.get(value.get("kind"), "")
        # Labels as text: a lazy label is translated again each time it is tested or shown.
        label = label_texts()
        context.update(
            kind_label=label(MeasureKind, value.get("kind")),
            # What the two lists read as ("国家级…、市级…", "不限" for none): joined here, not
            # by two template loops per measure. label answers "" for a value no longer
            # among the choices.
            tiers_text="、".join([text for tier in value.get("tiers") or [] if (text := label(EnterpriseTier, tier))])
            or gettext("不限"),
            regions_text="、".join(region.name for region in value.get("regions") or [] if region) or gettext("不限"),
            service_key=service,
            # The two sentences with a value in them, formatted here rather than by two
            # {% blocktranslate %} tags per measure (each rebuilds its message and pushes a
            # context); the template escapes them as any other text.
            amount_text=gettext("最高 %(amount)s 万元") % {"amount": localize(value["amount"])}
            if value.get("amount")
            else "",
            apply_text=gettext("申请%(service)s") % {"service": label(ServiceCategory, service)} if service else "",
        )
        return context

    def clean(self, value):
        value = super().clean(value)
        if value["clause"] and not ARTICLE_NUMBER.match(value["clause"]):
            raise StructBlockValidationError(
                block_errors={"clause": ErrorList([ValidationError(_("对应条款应写成“第三条”的形式。"))])}
            )
        return value


class MeasuresBlock(blocks.StreamBlock):
    measure = MeasureBlock()

    class Meta:
        label = _("扶持措施")
