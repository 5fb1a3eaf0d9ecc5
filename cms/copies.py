"""Private copies of a kept value, made without pickle's round trip.

This process keeps versioned values (``cms.cache``: the site with its root page, the
section a request is routed through, the site settings) and hands each reader its own
copy, as the shared cache would. Unpickling a copy rebuilds every attribute from bytes
and every model through the app registry: about 60 µs for the site with its home page,
20 µs for a section page, 15 µs for the settings, some 4 % of an article view.

``copier(value)`` looks at the value once and answers a function that makes a new copy
at each call, the same value that ``pickle.loads(pickle.dumps(value))`` gives:

- text, numbers, dates, times, decimals, UUIDs, ``None`` and classes are shared, as they
  can never change (pickle makes equal ones);
- lists, dictionaries and tuples are made anew around copies of their items;
- a model instance is made as Django unpickles one (``Model.__reduce__``: a new instance
  of its class, the state Django's ``__getstate__`` gives with its own ``ModelState`` and
  loaded relations, and the Django version key ``__setstate__`` leaves on it);
- anything else (a StreamField's value, another class) is pickled once here and unpickled
  at each call.

What the copier holds is taken when it is made: later changes to ``value`` do not reach
the copies, as with pickled bytes. A value that holds one object in two places (or in a
cycle) is pickled whole, since pickle would keep the two places one object; so is a
model with its own pickling or with memoryview fields.
"""

import copyreg
import datetime
import decimal
import io
import pickle  # nosec B403: only values this process pickled itself
import uuid

import django
from django.db.models import Model
from django.db.models.base import DJANGO_VERSION_PICKLE_KEY, ModelState

ATOMS = frozenset(
    {
        str,
        bytes,
        int,
        float,
        bool,
        type(None),
        datetime.datetime,
        datetime.date,
        datetime.time,
        datetime.timedelta,
        decimal.Decimal,
        uuid.UUID,
    }
)


class _Shared(Exception):
    """One object met twice: pickle would keep it one object, a copy per place would not."""


def copier(value):
    """A function of no arguments that answers a new private copy of ``value`` each call."""
    planner = _Planner()
    try:
        make = planner.plan(value)
        planner.check_pieces()
        return make
    except _Shared:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        return lambda: pickle.loads(data)  # noqa: S301  # nosec B301: pickled here


class _Recorder(pickle.Pickler):
    """Pickles as ``pickle.dumps`` does and keeps every object it is given (``objects``),
    so that they stay alive, and their ids distinct, while the plan is checked."""

    def __init__(self, file):
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.objects = []

    def persistent_id(self, obj):
        if not _atom(obj):
            self.objects.append(obj)
        return None


class _Piece:
    """A part of the value that is pickled once and unpickled for each copy."""

    def __init__(self, value):
        buffer = io.BytesIO()
        recorder = _Recorder(buffer)
        recorder.dump(value)
        self.data = buffer.getvalue()
        self.objects = recorder.objects

    def __call__(self):
        return pickle.loads(self.data)  # noqa: S301  # nosec B301: pickled here


def _atom(value):
    return type(value) in ATOMS or isinstance(value, type)


class _Planner:
    def __init__(self):
        self.seen = set()  # ids of the value's objects copied part by part
        self.pieces = []

    def note(self, value):
        if id(value) in self.seen:
            raise _Shared
        self.seen.add(id(value))

    def check_pieces(self):
        """No object may be both in a pickled piece and elsewhere, or in two pieces."""
        ids = set(self.seen)
        for piece in self.pieces:
            piece_ids = {id(obj) for obj in piece.objects}
            if piece_ids & ids:
                raise _Shared
            ids |= piece_ids
            piece.objects = None  # nothing of the value is kept beyond the check

    def plan(self, value):
        if _atom(value):
            return lambda: value
        kind = type(value)
        if kind is list:
            self.note(value)
            makers = [self.plan(item) for item in value]
            return lambda: [make() for make in makers]
        if kind is tuple:
            self.note(value)
            if all(_atom(item) for item in value):
                return lambda: value  # pickle makes an equal tuple; this one can never change
            makers = [self.plan(item) for item in value]
            return lambda: tuple([make() for make in makers])
        if kind is dict:
            self.note(value)
            fixed, makers = self.split(value)
            if not makers:
                return fixed.copy
            return lambda: _filled(fixed, makers)
        if isinstance(value, Model) and _plain_model(value):
            return self.model(value)
        reduced = _plain_reduce(value)
        if reduced is not None:  # pickle would call ``function(*arguments)`` (a StreamField's value)
            self.note(value)
            function, arguments = reduced
            make_arguments = self.plan(arguments)
            return lambda: function(*make_arguments())
        piece = _Piece(value)
        self.pieces.append(piece)
        return piece

    def split(self, mapping):
        """(the mapping with its shareable items, ``None`` in place of the others, so
        that copies keep the keys' order; [(key, maker)] for the others)."""
        fixed, makers = {}, []
        for key, item in mapping.items():
            if not _atom(key):
                raise _Shared  # pickle copies such a key too; rare enough to pickle whole
            if _atom(item):
                fixed[key] = item
            else:
                fixed[key] = None
                makers.append((key, self.plan(item)))
        return fixed, makers

    def model(self, instance):
        self.note(instance)
        state = instance.__getstate__()  # Django's: its own ModelState and relations cache
        if "_memoryview_attrs" in state:
            raise _Shared  # pickle turns them into bytes and back; leave it to pickle
        model_state = state["_state"]
        state["_state"] = None  # made by the maker below, in its place
        state[DJANGO_VERSION_PICKLE_KEY] = django.__version__  # what __setstate__ leaves
        fixed, makers = self.split(state)
        state_fields = dict(model_state.__dict__)
        relations = state_fields.get("fields_cache")
        if relations is not None:
            state_fields["fields_cache"] = None  # made by the maker, in its place
        state_fixed, state_makers = self.split(state_fields)
        relations_fixed, relations_makers = self.split(relations or {})
        return _ModelMaker(
            type(instance),
            fixed,
            makers,
            state_fixed,
            state_makers,
            relations is not None,
            relations_fixed,
            relations_makers,
        )


def _filled(fixed, makers):
    result = fixed.copy()
    for key, make in makers:
        result[key] = make()
    return result


def _plain_model(value):
    """Whether pickle saves ``value`` through Django's ``Model.__reduce__`` (a model's own
    ``__getstate__`` is called by it, as here) and loads it with ``Model.__setstate__``."""
    kind = type(value)
    return (
        kind not in copyreg.dispatch_table
        and kind.__reduce_ex__ is object.__reduce_ex__
        and kind.__reduce__ is Model.__reduce__
        and kind.__setstate__ is Model.__setstate__
        and type(value.__dict__.get("_state")) is ModelState
    )


def _plain_reduce(value):
    """``(function, arguments)`` when pickle saves ``value`` as a call of a function it
    saves by name and nothing more (no state, no items); else ``None``."""
    kind = type(value)
    if kind in copyreg.dispatch_table or kind.__reduce_ex__ is not object.__reduce_ex__:
        return None
    if kind.__reduce__ is object.__reduce__:
        return None  # copyreg's protocol (a new object and its state): left to pickle
    reduced = value.__reduce__()
    if not isinstance(reduced, tuple) or len(reduced) < 2 or any(item is not None for item in reduced[2:]):
        return None
    function, arguments = reduced[:2]
    if type(arguments) is not tuple or not callable(function):
        return None
    try:
        if pickle.loads(pickle.dumps(function, pickle.HIGHEST_PROTOCOL)) is not function:  # noqa: S301  # nosec B301
            return None
    except (pickle.PicklingError, AttributeError, TypeError):
        return None
    return function, arguments


class _ModelMaker:
    """A model instance as ``model_unpickle`` and ``Model.__setstate__`` make it."""

    def __init__(
        self, kind, fixed, makers, state_fixed, state_makers, has_relations, relations_fixed, relations_makers
    ):
        self.kind = kind
        self.fixed, self.makers = fixed, makers
        self.state_fixed, self.state_makers = state_fixed, state_makers
        self.has_relations = has_relations
        self.relations_fixed, self.relations_makers = relations_fixed, relations_makers

    def __call__(self):
        kind = self.kind
        new = kind.__new__(kind)
        attributes = self.fixed.copy()
        for key, make in self.makers:
            attributes[key] = make()
        own_state = ModelState.__new__(ModelState)
        own_state.__dict__.update(self.state_fixed)
        for key, make in self.state_makers:
            own_state.__dict__[key] = make()
        if self.has_relations:
            own_state.__dict__["fields_cache"] = _filled(self.relations_fixed, self.relations_makers)
        attributes["_state"] = own_state
        new.__dict__.update(attributes)
        return new
