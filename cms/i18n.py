"""Message lookups that keep their answers.

The site's messages are written in Simplified Chinese, the language it serves, so most of
them are in no catalog. For such a message Python's ``gettext`` looks through Django's
merged catalog (one dictionary per installed app that ships a ``zh_Hans`` catalog) and
then walks the chain of fallback catalogs (the apps' plain ``zh`` catalogs behind their
``zh_Hans`` ones, thirteen with the installed apps), about 9 µs per message; a page shows
25–35 messages. A translation object's catalogs do not change once Django has built it
(it builds a new one when ``LOCALE_PATHS``, ``LANGUAGE_CODE`` or the installed apps
change), so each object keeps the answers it has given.

Finding the active translation object costs more than the answer: Django keeps it in an
``asgiref.local.Local``, which reads a dict out of a context variable under a lock and a
context manager (about 2 µs); a policy page asks about 140 times (every ``{% translate %}``,
every lazy label shown). ``ContextLocal`` keeps it in a context variable of its own.
"""

import contextvars

from django.utils.translation import trans_real

# Messages are the msgids in the code and templates; ``{% translate some_variable %}`` could
# ask for arbitrary text, so the answers kept per translation object are bounded.
MAX_ANSWERS = 10_000

_unkept_gettext = trans_real.DjangoTranslation.gettext


def kept_gettext(self, message):
    answers = self.__dict__.get("_kept_answers")
    if answers is None:
        answers = self._kept_answers = {}
    try:
        return answers[message]
    except KeyError:
        pass
    result = _unkept_gettext(self, message)
    if len(answers) < MAX_ANSWERS:
        answers[message] = result
    return result


_UNSET = object()


class ContextLocal:
    """``asgiref.local.Local`` (not thread-critical) as one context variable per attribute.

    The same scope as asgiref's: a value set in a thread, an asyncio task or a copied
    context is seen there only, and asgiref's ``sync_to_async``/``async_to_sync`` carry
    context variables across as they carry its own. asgiref keeps all attributes in one
    dict in one context variable, copies the dict on every write and takes a lock around
    every access; separate variables need neither.
    """

    __slots__ = ("_vars",)

    def __init__(self):
        object.__setattr__(self, "_vars", {})

    def _var(self, name):
        var = self._vars.get(name)
        if var is None:
            var = self._vars.setdefault(name, contextvars.ContextVar(f"{__name__}.{id(self)}.{name}"))
        return var

    def __getattr__(self, name):
        value = self._var(name).get(_UNSET)
        if value is _UNSET:
            raise AttributeError(name)
        return value

    def __setattr__(self, name, value):
        self._var(name).set(value)

    def __delattr__(self, name):
        var = self._var(name)
        if var.get(_UNSET) is _UNSET:
            raise AttributeError(name)
        var.set(_UNSET)


def install():
    """Make every Django translation object keep its answers, and the active one quick to
    find (called once, at start-up)."""
    trans_real.DjangoTranslation.gettext = kept_gettext
    if not isinstance(trans_real._active, ContextLocal):
        active = ContextLocal()
        current = getattr(trans_real._active, "value", _UNSET)
        if current is not _UNSET:
            active.value = current
        trans_real._active = active
