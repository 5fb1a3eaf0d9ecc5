"""Model instances from database rows without going through ``Model.__init__``.

``Model.from_db`` makes each instance by calling the class with one value per field:
``Model.__init__`` then sends ``pre_init``, sets every value through ``setattr`` and sends
``post_init``, and a page runs three more constructors on the way (modelcluster's
``ClusterableModel``, Wagtail's ``AbstractPage`` and ``ShowInMenusMixin``), each of which
does nothing for a row that has its primary key. On a cold policy page that was 4-5 % of
the request (py-spy): the page itself has more than sixty fields, and its issuers, topics,
attachments and interpretations are instances too.

Here a row becomes an instance the way ``Model.__init__`` leaves it, done directly: a new
instance with its ``ModelState`` (not adding, the row's database) and the row's values
written into its ``__dict__``, in field order. That is what ``setattr`` does for a field
whose class attribute is Django's ``DeferredAttribute`` (no ``__set__``) or
``ForeignKeyDeferredAttribute`` (its ``__set__`` also forgets a cached related object,
which a new instance cannot have); a field with any other setter is still set through
it, except a ``StreamField`` whose value is the ``StreamValue`` its ``from_db_value`` just
made for it: Wagtail's setter would hand it to ``to_python``, which gives it back as it is.
Django's way is taken, unchanged, for:

- a class with a constructor other than those four, or its own ``__setattr__``;
- a class with ``pre_init`` or ``post_init`` receivers (asked on every row, so a receiver
  connected later is honoured);
- a row whose primary key, or a parent's (multi-table inheritance), is deferred or empty:
  Wagtail's page constructor would then look the content type up.

``cms/tests/test_model_rows.py`` compares the instances with Django's for every model.
"""

import inspect

from django.db.models import Model
from django.db.models.base import DEFERRED, ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

from modelcluster.models import ClusterableModel
from wagtail.blocks import StreamValue
from wagtail.blocks.stream_block import BaseStreamBlock
from wagtail.fields import Creator, StreamField
from wagtail.models.pages import AbstractPage, ShowInMenusMixin

_django_from_db = Model.__dict__["from_db"].__func__

# Constructors that do nothing more than Model.__init__ for a row with its primary key.
ROW_SAFE_INITS = frozenset(
    klass.__dict__["__init__"] for klass in (Model, ClusterableModel, AbstractPage, ShowInMenusMixin)
)
# Descriptors whose setting on a new instance is writing its __dict__.
PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)

_plans = {}  # model class -> _Plan, or None for Django's way
_UNPLANNED = object()


class _Plan:
    __slots__ = ("attnames", "keys", "setters")

    def __init__(self, attnames, keys, setters):
        self.attnames = attnames  # every concrete field's attname, in field order
        self.keys = keys  # positions of the primary keys (the model's and its parents')
        # (position, attname, field) of fields set through their descriptor; field is the
        # StreamField whose own StreamValue needs no setting again, else None.
        self.setters = setters


def plan_for(cls):
    """How rows of ``cls`` become instances here, or ``None`` for Django's way."""
    try:
        return _plans[cls]
    except KeyError:
        pass
    plan = None
    inits = {klass.__dict__["__init__"] for klass in cls.__mro__[:-1] if "__init__" in klass.__dict__}
    if inits <= ROW_SAFE_INITS and cls.__setattr__ is object.__setattr__ and not cls._meta.abstract:
        fields = cls._meta.concrete_fields
        attnames = tuple(field.attname for field in fields)
        key_names = {cls._meta.pk.attname, *(parent._meta.pk.attname for parent in cls._meta.all_parents)}
        setters = []
        for position, attname in enumerate(attnames):
            attribute = inspect.getattr_static(cls, attname, None)
            if type(attribute) not in PLAIN_DESCRIPTORS and hasattr(type(attribute), "__set__"):
                setters.append((position, attname, _own_stream_field(attribute)))
        keys = tuple(position for position, attname in enumerate(attnames) if attname in key_names)
        if len(keys) == len(key_names):
            plan = _Plan(attnames, keys, tuple(setters))
    _plans[cls] = plan
    return plan


def _own_stream_field(descriptor):
    """The StreamField behind Wagtail's setter when setting it its own value changes nothing."""
    field = getattr(descriptor, "field", None)
    if (
        type(descriptor) is Creator
        and type(field) is StreamField
        and type(field).to_python is StreamField.to_python
        and type(field.stream_block).to_python is BaseStreamBlock.to_python
    ):
        return field
    return None


def from_db(cls, db, field_names, values):
    """``Model.from_db``: the same instance, made without ``Model.__init__`` (see the module)."""
    plan = _plans.get(cls, _UNPLANNED)
    if plan is _UNPLANNED:
        plan = plan_for(cls)
    if plan is None or pre_init.has_listeners(cls) or post_init.has_listeners(cls):
        return _django_from_db(cls, db, field_names, values)
    attnames = plan.attnames
    if len(values) != len(attnames):
        values_iter = iter(values)
        values = [next(values_iter) if attname in field_names else DEFERRED for attname in attnames]
    for position in plan.keys:
        if values[position] is None or values[position] is DEFERRED:
            return _django_from_db(cls, db, field_names, values)
    new = cls.__new__(cls)
    state = ModelState()
    state.adding = False
    state.db = db
    fields = new.__dict__
    fields["_state"] = state
    for attname, value in zip(attnames, values, strict=True):
        if value is not DEFERRED:
            fields[attname] = value
    for position, attname, stream_field in plan.setters:
        value = values[position]
        if value is DEFERRED:
            continue
        if (
            stream_field is not None
            and type(value) is StreamValue
            and getattr(value, "_stream_field", None) is stream_field
        ):
            continue  # in __dict__ already, as the setter would leave it
        setattr(new, attname, value)
    return new


def install():
    """Make ``Model.from_db`` this module's (called once, at start-up)."""
    if Model.__dict__["from_db"].__func__ is not from_db:
        Model.from_db = classmethod(from_db)
