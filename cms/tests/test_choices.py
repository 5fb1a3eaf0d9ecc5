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
