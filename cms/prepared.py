"""Querysets compiled to SQL once per process; each use binds its own values.

Django builds and compiles a queryset on every call. For the page a URL routes to (the
page row joined to its specific table and what the page always shows, some sixty
columns) that took about 1 ms of the article view, five times what SQLite spent running
the statement. A ``Prepared`` query is built once with marker values in place of the
values that change (a parent's path, a slug, a page id), compiled once per database,
and then run with the markers replaced in the compiled parameters. The rows become model
instances as Django's own iterable makes them (``select_related`` included), and the
queryset's ``prefetch_related`` lookups run on them.

Markers may stand for values compared for equality (``slug=...``, ``page_id=...``,
``depth=...``) or matched with ``startswith``/``contains`` (their parameter is the value
escaped for ``LIKE`` inside the pattern). Nothing else: a marker the compiled parameters
do not contain exactly once is refused when the query is compiled, so a queryset whose
SQL Django writes differently cannot run with the wrong values.
"""

import copy
import itertools

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, router
from django.db.models import prefetch_related_objects
from django.db.models.query import get_related_populators

_STRING_MARKER = "\ue000prepared-{}-{}\ue001"  # private-use characters: never in real values
_INT_MARKER_BASE = 2_147_480_000  # in range of a 32-bit integer column, which Django checks


class Prepared:
    """``build(**markers)`` returns the queryset; ``run(**values)`` its instances.

    ``kinds`` names each value and its type (``str`` or ``int``). When what ``build``
    makes depends on something else (``cms.queries.public`` on the restricted paths),
    ``key`` returns it, hashable: the SQL is compiled again for each new key.
    """

    _ids = itertools.count()
    MAX_COMPILED = 8  # per query: databases times keys in use

    def __init__(self, build, key=None, **kinds):
        if not kinds or set(kinds.values()) - {str, int}:
            raise ValueError("Prepared needs each value's type, str or int")
        self.build = build
        self.key = key
        self.kinds = kinds
        self.id = next(self._ids)
        self._compiled = {}  # database alias (and key) -> _Compiled
        self._model = None

    def _markers(self):
        markers = {}
        for index, (name, kind) in enumerate(sorted(self.kinds.items())):
            markers[name] = _STRING_MARKER.format(self.id, index) if kind is str else _INT_MARKER_BASE + index
        return markers

    def _compile(self, alias):
        key = (alias, self.key()) if self.key else alias
        compiled = self._compiled.get(key)
        if compiled is None:
            if len(self._compiled) >= self.MAX_COMPILED:
                self._compiled.clear()
            compiled = self._compiled[key] = _Compiled(self.build, self._markers(), alias)
        return compiled

    def run(self, using=None, **values):
        """The instances for ``values`` (one for each name given to the constructor)."""
        if values.keys() != self.kinds.keys():
            raise TypeError(f"Prepared.run needs exactly {sorted(self.kinds)}")
        for name, kind in self.kinds.items():
            if type(values[name]) is not kind:
                raise TypeError(f"{name} must be {kind.__name__}")
        if using is None:
            if self._model is None:
                self._model = self.build(**self._markers()).model
            using = router.db_for_read(self._model)
        return self._compile(using).run(values)


class _Compiled:
    """One queryset's SQL for one database, where each marker sits in its parameters."""

    def __init__(self, build, markers, alias):
        queryset = build(**markers).using(alias)
        self.alias = alias
        self.prefetch = queryset._prefetch_related_lookups
        compiler = queryset.query.get_compiler(using=alias)
        try:
            self.sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet) as exc:  # e.g. a marker outside a small integer column
            raise ValueError("Prepared: Django left a condition out of the SQL; the markers cannot be bound") from exc
        self.params = list(params)
        self.compiler = compiler
        connection = connections[alias]
        # (position, name, how the value becomes that parameter) for each marked parameter
        self.slots = []
        for name, marker in markers.items():
            found = []
            for position, param in enumerate(self.params):
                if param == marker and isinstance(param, type(marker)):
                    # as the value is, of the parameter's type (psycopg's Int4 is an int subclass)
                    found.append((position, name, type(param)))
                elif isinstance(marker, str) and isinstance(param, str) and marker in param:
                    before, _, after = param.partition(marker)
                    if marker in after:
                        raise ValueError(f"{name} appears twice in one parameter")
                    like = connection.ops.prep_for_like_query
                    found.append((position, name, lambda value, b=before, a=after, like=like: b + like(value) + a))
            if len(found) != 1:
                raise ValueError(f"{name} must appear in exactly one parameter of the SQL, not {len(found)}")
            self.slots.extend(found)
        klass_info, select = compiler.klass_info, compiler.select
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.annotations = list((compiler.annotation_col_map or {}).items())
        self.klass_info, self.select = klass_info, select
        self.expressions = [column[0] for column in select[: compiler.col_count]]
        if compiler.has_composite_fields(self.expressions):
            raise ValueError("Prepared: composite fields are not supported")
        self.width = compiler.col_count if compiler.has_extra_select else None
        self.converters = (None, [])  # (the connection they were made for, [(position, converters, expression)])

    def bind(self, values):
        params = list(self.params)
        for position, name, convert in self.slots:
            params[position] = convert(values[name])
        return params

    def _converters(self, connection):
        """Django's converters for each column (``SQLCompiler.get_converters``), made once
        per connection object rather than on every run."""
        made_for, converters = self.converters
        if made_for is not connection:
            compiler = copy.copy(self.compiler)
            compiler.connection = connection
            converters = [(position, *pair) for position, pair in compiler.get_converters(self.expressions).items()]
            self.converters = (connection, converters)
        return converters

    def run(self, values):
        # What SQLCompiler.execute_sql and results_iter do for a plain SELECT, without
        # compiling the query or looking its converters up again.
        connection = connections[self.alias]  # this thread's connection
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.bind(values))
            rows = cursor.fetchall()
        converters = self._converters(connection)
        populators = get_related_populators(self.klass_info, self.select, self.alias) if rows else ()
        objects = []
        for row in rows:
            row = list(row[: self.width] if self.width else row)
            for position, convs, expression in converters:
                value = row[position]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[position] = value
            obj = self.model.from_db(self.alias, self.init_list, row[self.start : self.end])
            for populator in populators:
                populator.populate(row, obj)
            for attr, position in self.annotations:
                setattr(obj, attr, row[position])
            objects.append(obj)
        if self.prefetch and objects:
            prefetch_related_objects(objects, *self.prefetch)
        return objects


_PK_IN = {}
PK_IN_SIZES = (1, 2, 5, 10, 20, 50, 100)


def objects_in(key, base, pks):
    """``{pk: object}`` for the integer ``pks`` found in the queryset ``base``, one statement.

    ``key`` names ``base``'s SQL (hashable; every queryset given with one key must compile
    to the same SQL). The statement is compiled once per process, key and size: the ids
    go into 1, 2, 5, 10, 20, 50 or 100 parameters, padded with repeats of the first. More
    ids than that, or ids that are not ``int``, take the ORM's way.
    """
    ids = list(dict.fromkeys(pk for pk in pks if pk is not None))
    if not ids:
        return {}
    size = next((n for n in PK_IN_SIZES if n >= len(ids)), None)
    if size is None or any(type(pk) is not int for pk in ids):
        return {obj.pk: obj for obj in base.filter(pk__in=ids)}
    names = [f"pk{i}" for i in range(size)]
    prepared = _PK_IN.get((key, size))
    if prepared is None:
        if len(_PK_IN) >= 64:
            _PK_IN.clear()
        prepared = _PK_IN[(key, size)] = Prepared(
            lambda **values: base.filter(pk__in=[values[name] for name in names]), **dict.fromkeys(names, int)
        )
    padded = ids + [ids[0]] * (size - len(ids))
    return {obj.pk: obj for obj in prepared.run(using=base.db, **dict(zip(names, padded, strict=True)))}


def relation_query(model, name, *select_related):
    """A ``Prepared`` query by ``pk`` for the relation ``name`` of a ``model`` instance (what
    ``instance.<name>.all()`` reads), with ``select_related`` when given."""

    def build(pk):
        queryset = getattr(model(pk=pk), name).all()
        return queryset.select_related(*select_related) if select_related else queryset

    return Prepared(build, pk=int)


def relation(instance, name, prepared):
    """``list(instance.<name>.all())``, through ``prepared`` (run with ``pk``) when that reads
    the database.

    A page made from a revision (a preview) holds its relations in memory, and a listing
    may have prefetched them: both keep Django's or modelcluster's answer.
    """
    if (
        instance.pk is None
        or name in getattr(instance, "_cluster_related_objects", {})
        or name in getattr(instance, "_prefetched_objects_cache", {})
    ):
        return list(getattr(instance, name).all())
    return prepared.run(pk=instance.pk)
