"""Plain text of a page for result snippets, from the fields it is indexed by."""

from django.utils.html import strip_tags

from modelsearch.index import RelatedFields, SearchField

MAX_TEXT = 5000


def _values(obj, fields):
    for field in fields:
        if isinstance(field, SearchField) and field.field_name != "title":
            value = field.get_value(obj)
            if value:
                yield value if isinstance(value, str) else " ".join(map(str, _flatten(value)))
        elif isinstance(field, RelatedFields):
            related = field.get_value(obj)
            if related is None:
                continue
            objs = related.all() if hasattr(related, "all") else [related]
            for sub in objs:
                yield from _values(sub, field.fields)


def _flatten(value):
    if isinstance(value, dict):
        value = value.values()
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _flatten(item)
    else:
        yield value


def page_text(page):
    """Searchable body text of ``page``: search description first, then its fields."""
    parts = []
    if getattr(page, "search_description", ""):
        parts.append(page.search_description)
    length = 0
    for value in _values(page, page.get_search_fields()):
        parts.append(strip_tags(value))
        length += len(value)
        if length > MAX_TEXT:
            break
    return " ".join(parts)
