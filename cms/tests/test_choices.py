"""label_of answers as the choices classes do."""

from cms.choices import EnterpriseTier, ServiceCategory, label_of
from policy.choices import Industry, MeasureKind


def test_label_of_gives_the_members_label_or_the_default():
    for choices in (EnterpriseTier, ServiceCategory, Industry, MeasureKind):
        for value, label in choices.choices:
            assert label_of(choices, value) == label
            assert str(label_of(choices, value)) == str(choices(value).label)
        for unknown in ("", None, "no-such-key", 1):
            assert unknown not in choices.values
            assert label_of(choices, unknown) == ""
            assert label_of(choices, unknown, "其他") == "其他"


def test_label_text_is_the_label_in_the_active_language():
    from django.db import models
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from cms.choices import label_text

    class Answer(models.TextChoices):
        YES = "yes", gettext_lazy("Yes")  # a message Django's own catalogs translate

    # MeasureKind and ServiceCategory share values ("talent": "人才" and "人才培训与引入")
    assert MeasureKind.TALENT == ServiceCategory.TALENT
    for choices in (EnterpriseTier, ServiceCategory, Industry, MeasureKind, ServiceCategory):
        for value, label in choices.choices:
            assert label_text(choices, value) == str(label)
            assert type(label_text(choices, value)) is str
        assert label_text(choices, "no-such-key") == ""
        assert label_text(choices, None, "其他") == "其他"
    with translation.override("zh-hans"):
        assert label_text(Answer, "yes") == "是"
        assert label_text(Answer, "yes") == "是"  # kept, and still right
    with translation.override("fr"):
        assert label_text(Answer, "yes") == str(Answer.YES.label) == "Oui"
    with translation.override("zh-hans"):
        assert label_text(Answer, "yes") == "是"
    from django.test import override_settings
    from django.utils.translation import _trans

    try:
        with override_settings(USE_I18N=False):
            _trans.__dict__.clear()  # Django picks its functions once (see django.utils.translation)
            assert label_text(Answer, "yes") == "Yes"
    finally:
        _trans.__dict__.clear()
    assert label_text(Answer, "yes") == "是"


def test_label_texts_answers_as_label_text_in_the_language_active_when_made():
    from django.db import models
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from cms.choices import label_text, label_texts

    class Answer(models.TextChoices):
        YES = "yes", gettext_lazy("Yes")

    with translation.override("zh-hans"):
        chinese = label_texts()
        for choices in (EnterpriseTier, ServiceCategory, Industry, MeasureKind):
            for value, _label in choices.choices:
                assert chinese(choices, value) == label_text(choices, value)
            assert chinese(choices, "no-such-key") == ""
            assert chinese(choices, None, "其他") == "其他"
    with translation.override("fr"):
        french = label_texts()
        assert french(Answer, "yes") == "Oui"
        assert chinese(Answer, "yes") == "是"  # bound to the translation it was made in
        assert chinese(Answer, "no-such-key", "?") == "?"
