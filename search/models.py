"""Editor-maintained search vocabulary: dictionary words and synonym groups."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

_TERM_SEPARATORS = re.compile(r"[\n,，、;；|]+")


class SearchTerm(models.Model):
    """A word the segmenter must keep whole (专精特新, 小巨人…)."""

    word = models.CharField(
        _("词语"),
        max_length=50,
        unique=True,
        help_text=_("分词时保持完整的词，例如“专精特新”。新增或修改后，已有内容需重建索引才能按新词命中。"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("搜索词典词语")
        verbose_name_plural = _("搜索词典")

    def __str__(self):
        return self.word

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Renaming a word re-indexes text with the old word too (see search.vocabulary).
        self._previous_word = self.word

    def save(self, *args, **kwargs):
        self.word = self.word.strip()
        super().save(*args, **kwargs)


class SearchSynonym(models.Model):
    """Terms that find each other (市经信委 = 重庆市经济和信息化委员会)."""

    terms = models.TextField(
        _("同义词"),
        help_text=_(
            "每行一个词，或用逗号、顿号分隔；搜索其中任何一个词都会同时查找其余各词。立即生效，无需重建索引。"
        ),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("同义词组")
        verbose_name_plural = _("同义词组")

    def __str__(self):
        return " = ".join(self.term_list())

    def term_list(self):
        return [t.strip() for t in _TERM_SEPARATORS.split(self.terms) if t.strip()]
