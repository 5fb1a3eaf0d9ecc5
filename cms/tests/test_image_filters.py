"""Image filters read their spec once per process (cms.image_filters)."""

import pytest

from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import Filter

from cms import image_filters

SPECS = ["width-600", "format-webp|width-1200", "fill-1200x630", "fill-100x100-c80|format-avif|jpegquality-60"]


def described(operations):
    return [(type(op), op.method, op.args, vars(op)) for op in operations]


def test_filters_with_one_spec_share_what_wagtail_builds():
    image_filters.forget()
    for spec in SPECS:
        first, second = Filter(spec), Filter(spec)
        assert first.operations is second.operations  # built once
        assert described(first.operations) == described(image_filters._wagtail_operations(Filter(spec)))
    assert Filter("width-600").operations is not Filter("width-601").operations


def test_a_bad_spec_fails_every_time_and_is_not_kept():
    image_filters.forget()
    for _ in range(2):
        with pytest.raises(InvalidFilterSpecError):
            _ = Filter("no-such-operation-1").operations
    assert "no-such-operation-1" not in image_filters._operations_by_spec


def test_the_number_of_kept_specs_is_bounded(monkeypatch):
    image_filters.forget()
    monkeypatch.setattr(image_filters, "MAX_SPECS", 3)
    for width in range(1, 10):
        assert Filter(f"width-{width}").operations[0].size == width
    assert len(image_filters._operations_by_spec) == 3
