"""Plain text of a page for result snippets, from the fields it is indexed by."""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch, prefetch_related_objects
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


def _relation(model, name):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a method or property indexed by name: nothing to prefetch
        return None
    return field if field.is_relation else None


def _lookups(model, fields):
    """Prefetch lookups for the related objects ``page_text`` reads through ``fields``."""
    lookups = []
    for field in fields:
        if not isinstance(field, RelatedFields):
            continue
        relation = _relation(model, field.field_name)
        if relation is None:
            continue
        related = relation.related_model
        # One level down, single-valued relations (a byline's organisation) come in the same query.
        joins = [
            sub.field_name
            for sub in field.fields
            if isinstance(sub, RelatedFields)
            and (rel := _relation(related, sub.field_name)) is not None
            and (rel.many_to_one or rel.one_to_one)
            and not rel.auto_created
        ]
        if joins and (relation.one_to_many or relation.many_to_many):
            lookups.append(Prefetch(field.field_name, queryset=related._default_manager.select_related(*joins)))
        else:
            lookups.append(field.field_name)
    return lookups


def prefetch_page_text(pages):
    """Load what ``page_text`` reads for many specific pages in a few queries per page type."""
    by_model = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, instances in by_model.items():
        lookups = _lookups(model, model.get_search_fields())
        if lookups:
            prefetch_related_objects(instances, *lookups)
