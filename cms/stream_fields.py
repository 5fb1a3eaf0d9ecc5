"""StreamField reading its column through one JSON field instead of a new one per value.

Wagtail's ``StreamField.from_db_value`` hands each stored value to
``self.json_field.from_db_value``, and ``json_field`` is a property that constructs a new
``models.JSONField`` every time it is read (Django's ``Field.__init__``: a creation
counter, validators, choices, about 8 µs). An article page reads one stream column, a
policy page two, a listing one per row it does not defer. The JSON field holds no state
of its own (its encoder is fixed), so each StreamField keeps the first one it makes.
"""

from django.utils.functional import cached_property

from wagtail.fields import StreamField

_wagtail_json_field = StreamField.__dict__["json_field"]


def install():
    """Make ``StreamField.json_field`` made once per field (called once, at start-up)."""
    if isinstance(StreamField.__dict__["json_field"], cached_property):
        return
    kept = cached_property(_wagtail_json_field.fget)
    kept.__set_name__(StreamField, "json_field")
    StreamField.json_field = kept
