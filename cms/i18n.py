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
every lazy label shown). ``cms.context_locals.ContextLocal`` keeps it in a context variable
of its own.

A ``{% translate "常量" %}`` tag then still costs more than its message: Django makes a lazy
string of it, tests it against every type ``localize`` knows, turns it back into text and
escapes it, some 35,000 instructions per tag (callgrind); a policy page has about 85 such
tags, its eleven support measures five each. What such a tag prints depends only on the
translation object, the message (and its context) and whether the template escapes, so
each translation object also keeps the text each constant tag printed.

Whether translation is on at all (``USE_I18N``) is read from the settings once and again
only when the setting changes: each read of ``settings.X`` goes through the lazy settings
object's ``__getattribute__``, a Python function, and the tags above asked on every render.
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.template.base import Variable
from django.templatetags.i18n import TranslateNode
from django.utils.translation import trans_real

from cms.context_locals import replacing

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
_unkept_translate_render = TranslateNode.render

_use_i18n = None  # settings.USE_I18N once read; None: read it at the next use


def use_i18n():
    """``settings.USE_I18N``, read once per value of the setting."""
    global _use_i18n
    if _use_i18n is None:
        _use_i18n = bool(settings.USE_I18N)
    return _use_i18n


def _forget_use_i18n(*, setting, **kwargs):
    global _use_i18n
    if setting == "USE_I18N":
        _use_i18n = None


setting_changed.connect(_forget_use_i18n, dispatch_uid="cms.i18n.use_i18n")


def _constant_message(node):
    """``(message, context)`` when ``node`` translates a constant message (no variable, no
    filter, no ``noop``, a constant context if any), else ``None``."""
    expression = node.filter_expression
    var = expression.var
    if node.noop or expression.filters or not isinstance(var, Variable):
        return None
    if var.lookups is not None or not isinstance(var.literal, str):
        return None
    context = node.message_context
    if context is not None:
        if context.filters or not isinstance(context.var, str):
            return None
        context = str(context.var)
    return (str(var.literal), context)


def kept_translate_render(self, context):
    """``TranslateNode.render`` that gives a constant message's text from the active
    translation object's kept texts after the first time."""
    message = self.__dict__.get("_kept_message", _UNSET)
    if message is _UNSET:
        message = self._kept_message = _constant_message(self)
    if message is None or not (_use_i18n if _use_i18n is not None else use_i18n()):
        return _unkept_translate_render(self, context)
    translation = trans_real.catalog()  # the object gettext would use now
    texts = translation.__dict__.get("_kept_texts")
    if texts is None:
        texts = translation._kept_texts = {}
    key = (message, context.autoescape)
    text = texts.get(key)
    if text is None:
        output = _unkept_translate_render(self, context)
        text = texts[key] = context[self.asvar] if self.asvar else output
        return output
    if self.asvar:
        context[self.asvar] = text
        return ""
    return text


def active_translation():
    """The translation object activated in this context (thread, task), or ``None``.

    Django's functions fall back to ``LANGUAGE_CODE``'s translation when none is active,
    and each of them finds that out by an ``AttributeError`` raised and caught (about
    1.5 µs; a policy page translates some 140 messages). ``SiteLanguageMiddleware``
    activates the language for the request so they find it at once.
    """
    return getattr(trans_real._active, "value", None)


def install():
    """Make every Django translation object keep its answers, constant ``{% translate %}``
    tags keep their text, and the active translation quick to find (called once, at
    start-up)."""
    trans_real.DjangoTranslation.gettext = kept_gettext
    TranslateNode.render = kept_translate_render
    trans_real._active = replacing(trans_real._active)
