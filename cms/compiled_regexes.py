"""Django's lazily compiled regular expressions, compiled at start-up.

Django compiles many module-level patterns on first use (``_lazy_re_compile`` gives a
``SimpleLazyObject``). Every later use still goes through the proxy: ``LazyObject``'s
``__getattribute__``, a Python function, looks for ``sub`` or ``match`` on the proxy,
fails, raising and catching an ``AttributeError`` with its message, and ``__getattr__``
then fetches the method from the pattern. About 5,000 instructions per use; a policy
page uses the newline pattern of ``linebreaksbr`` eleven times, and every request the
host and charset patterns.

``install`` compiles the lazy patterns of the Django modules loaded by then and puts each
compiled pattern in place of its proxy in its module (the object the proxy would have
handed on: ``re`` keeps compiled patterns). A module imported later, or one that imported
a pattern by name, keeps the proxy, which still works as before.
"""

import sys

from django.utils.functional import SimpleLazyObject, empty

LAZY_COMPILE = "_lazy_re_compile.<locals>._compile"


def _lazy_pattern(value):
    """Whether ``value`` is a proxy made by Django's ``_lazy_re_compile``."""
    if type(value) is not SimpleLazyObject:
        return False
    return getattr(value.__dict__.get("_setupfunc"), "__qualname__", None) == LAZY_COMPILE


def compile_module(module):
    """Replace each lazy pattern held by ``module`` with the compiled pattern; how many."""
    replaced = 0
    for name, value in list(vars(module).items()):
        if _lazy_pattern(value):
            if value.__dict__["_wrapped"] is empty:
                value._setup()
            setattr(module, name, value.__dict__["_wrapped"])
            replaced += 1
    return replaced


def install():
    """Compile the lazy patterns of every loaded Django module (called once, at start-up)."""
    return sum(
        compile_module(module)
        for name, module in list(sys.modules.items())
        if name.startswith("django.") and module is not None
    )
