"""The one StoryBlock every page body uses.

Each block carries an icon, a template, a description and a preview value so the
block picker can show editors what they are about to insert.
"""

import django
from django.db.models import Model
from django.db.models.base import DJANGO_VERSION_PICKLE_KEY, ModelState
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.prepared import objects_in

TEXT_GROUP = _("文本")
MEDIA_GROUP = _("媒体")
DATA_GROUP = _("数据")

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "superscript", "subscript"]


def parent_context_unused(get_context):
    """Mark a block's ``get_context`` that reads nothing from ``parent_context``: it only
    adds its own names to it and returns it, as Wagtail's ``Block.get_context`` does.
    ``{% include_block %}`` then gives it an empty parent context (``cms.block_rendering``)."""
    get_context.parent_context_unused = True
    return get_context


parent_context_unused(blocks.Block.get_context)


class FixedChoicesMixin:
    """A choice block whose choices never change (a ``TextChoices`` list), read fast.

    Reading a stored value, Wagtail's choice blocks find its key by asking the form field
    for its choices (a callable, called again each time) and comparing ``force_str`` of
    every key: on the policy page, about 50 values per view over lists of up to 20
    choices. Here one dictionary, built on first use, answers; the first matching key
    wins as in Wagtail. Not for choices computed at run time. Migrations see the plain
    Wagtail block (its ``deconstruct``).
    """

    @cached_property
    def _keys_by_text(self):
        keys = {}
        for key, label in self.field.choices:
            if isinstance(label, (list, tuple)):  # an option group
                for subkey, _label in label:
                    keys.setdefault(force_str(subkey), subkey)
            else:
                keys.setdefault(force_str(key), key)
        return keys

    def normalize_choice(self, value):
        if value is None:
            return None
        return self._keys_by_text.get(force_str(value), value)


class StructBlock(blocks.StructBlock):
    """Wagtail's ``StructBlock`` that reads a list of stored values in one pass per field.

    Reading a stream, Wagtail's ``bulk_to_python`` splits the values into one list per
    field, maps each field's converted values back by index through a dictionary, then
    builds each value's dictionary by looking every field up again: about 1.3 µs per
    field of every value, 180 µs for the policy page's eleven measures of thirteen fields.
    The same values come out here: each field's stored values converted with the field's
    own ``bulk_to_python``, its default where a value lacks the field. Migrations see
    each subclass by its own path, as before.
    """

    def bulk_to_python(self, values):
        values = list(values)
        columns = []
        for name, child in self.child_blocks.items():
            present = [value[name] for value in values if name in value]
            converted = child.bulk_to_python(present)
            if len(present) != len(values):
                converted = iter(converted)
                converted = [next(converted) if name in value else child.get_default() for value in values]
            columns.append(converted)
        names = list(self.child_blocks)
        value_class = self.meta.value_class
        if not columns:  # a struct without fields: one empty value each
            return [value_class(self) for _value in values]
        return [value_class(self, zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


class FixedChoiceBlock(FixedChoicesMixin, blocks.ChoiceBlock):
    pass


class FixedMultipleChoiceBlock(FixedChoicesMixin, blocks.MultipleChoiceBlock):
    pass


def copy_instance(obj):
    """``copy.copy(obj)`` for a model instance, without the pickle protocol's detour.

    ``copy.copy`` of a model goes through ``__reduce_ex__``: it looks the model up in
    the app registry and rebuilds the instance through ``model_unpickle`` (about 19 µs;
    the policy page copies the same region ten times). This makes the same object as
    Django's ``__getstate__``/``__setstate__`` would: the instance's attributes with its
    own ``_state`` and a copy of the loaded relations.

    For a model that pickles as Django's ``Model`` does and holds no memoryview (every
    chooser's model here), the state is copied directly: ``__getstate__`` copies the
    ``ModelState`` with ``copy.copy``, the pickle protocol's detour again.
    """
    kind = obj.__class__
    new = kind.__new__(kind)
    if (
        kind.__getstate__ is Model.__getstate__
        and kind.__setstate__ is Model.__setstate__
        and type(obj._state) is ModelState
        and not any(type(value) is memoryview for value in obj.__dict__.values())
    ):
        attributes = obj.__dict__.copy()
        own_state = ModelState.__new__(ModelState)
        own_state.__dict__.update(obj._state.__dict__)
        if "fields_cache" in own_state.__dict__:
            own_state.fields_cache = own_state.fields_cache.copy()
        attributes["_state"] = own_state
        attributes[DJANGO_VERSION_PICKLE_KEY] = django.__version__
        new.__dict__.update(attributes)
        return new
    new.__setstate__({**obj.__getstate__(), DJANGO_VERSION_PICKLE_KEY: django.__version__})
    return new


class PreparedChooserMixin:
    """A chooser block that reads the chosen objects of a stream with SQL compiled once.

    Reading a stream, Wagtail loads every chooser's objects with ``in_bulk``: the policy
    page's measures ask for their regions and their pages that way, and building and
    compiling those two queries cost about a tenth of the view, even when nothing was
    chosen. Here no id means no query, and ids are read through ``cms.prepared.objects_in``.
    The answer is Wagtail's: the values' order kept, ``None`` for a missing object, a copy
    for an id chosen twice.
    """

    def bulk_to_python(self, values):
        values = list(values)
        if all(pk is None for pk in values):  # nothing chosen: no queryset to build either
            return [None] * len(values)
        manager = self.model_class.objects
        objects = objects_in(("chooser", self.model_class._meta.label, manager.db), manager.all(), values)
        seen = set()
        result = []
        for pk in values:
            obj = objects.get(pk)
            if obj is not None and pk in seen:
                obj = copy_instance(obj)
            result.append(obj)
            seen.add(pk)
        return result


class PreparedPageChooserBlock(PreparedChooserMixin, blocks.PageChooserBlock):
    canonical_module_path = "wagtail.blocks.PageChooserBlock"  # migrations see Wagtail's block


class PreparedSnippetChooserBlock(PreparedChooserMixin, SnippetChooserBlock):
    canonical_module_path = "wagtail.snippets.blocks.SnippetChooserBlock"


class HeadingBlock(StructBlock):
    text = blocks.CharBlock(label=_("标题文字"), max_length=120)
    level = FixedChoiceBlock(
        label=_("级别"),
        choices=[("h2", _("二级标题")), ("h3", _("三级标题")), ("h4", _("四级标题"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("小标题")
        template = "blocks/heading_block.html"
        description = _("正文中的小标题，用于划分段落层次。")
        preview_value = {"text": "推动川渝超高清视频产业协同发展", "level": "h2"}
        group = TEXT_GROUP


class CaptionedImageBlock(StructBlock):
    image = ImageBlock(label=_("图片"))
    caption = blocks.CharBlock(label=_("图片说明"), required=False, max_length=500)
    credit = blocks.CharBlock(
        label=_("摄影/来源"), required=False, max_length=120, help_text=_("例如：重庆日报记者 张锦辉 摄")
    )

    class Meta:
        icon = "image"
        label = _("图片")
        template = "blocks/image_block.html"
        description = _("带图片说明和摄影署名的图片。")
        group = MEDIA_GROUP


class QuoteBlock(StructBlock):
    text = blocks.TextBlock(label=_("引文"))
    attribution = blocks.CharBlock(label=_("出处"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("引文")
        template = "blocks/quote_block.html"
        description = _("突出显示的一段引述，可注明出处。")
        preview_value = {
            "text": "此次奖补资金重在“奖未来”，引导“小巨人”企业加大创新投入。",
            "attribution": "市经信委负责人",
        }
        group = TEXT_GROUP


class DocumentLinkBlock(StructBlock):
    document = DocumentChooserBlock(label=_("文件"))
    title = blocks.CharBlock(label=_("链接文字"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("文件下载")
        template = "blocks/document_link_block.html"
        description = _("链接到文件库中的文件（PDF、Word、OFD 等），显示文件类型和大小。")
        group = MEDIA_GROUP


class TableBlock(TypedTableBlock):
    def __init__(self, **kwargs):
        super().__init__(
            [
                ("text", blocks.CharBlock(label=_("文本"))),
                ("number", blocks.DecimalBlock(label=_("数字"))),
                ("rich_text", blocks.RichTextBlock(label=_("富文本"), features=["bold", "italic", "link"])),
            ],
            **kwargs,
        )

    class Meta:
        icon = "table"
        label = _("表格")
        template = "blocks/table_block.html"
        description = _("带表头的数据表格，列可以是文本或数字。")
        group = DATA_GROUP


class StoryBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("段落"),
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        description=_("正文段落，可加粗、倾斜、加链接和列表。"),
        preview_value=("<p>近年来，我市按照“4K先行、兼顾8K”的总体技术路线，大力推动超高清视频产业高质量发展。</p>"),
        group=TEXT_GROUP,
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    table = TableBlock()
    embed = EmbedBlock(
        label=_("嵌入媒体"),
        icon="media",
        template="blocks/embed_block.html",
        description=_("粘贴视频或其他可嵌入内容的网址。"),
        group=MEDIA_GROUP,
    )
    document = DocumentLinkBlock()

    class Meta:
        label = _("正文")
