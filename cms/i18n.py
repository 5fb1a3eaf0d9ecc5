"""Message lookups that keep their answers.

The site's messages are written in Simplified Chinese, the language it serves, so most of
them are in no catalog. For such a message Python's ``gettext`` looks through Django's
merged catalog (one dictionary per installed app that ships a ``zh_Hans`` catalog) and
then walks the chain of fallback catalogs (the apps' plain ``zh`` catalogs behind their
``zh_Hans`` ones, thirteen with the installed apps), about 9 µs per message; a page shows
25–35 messages. A translation object's catalogs do not change once Django has built it
(it builds a new one when ``LOCALE_PATHS``, ``LANGUAGE_CODE`` or the installed apps
change), so each object keeps the answers it has given.
"""

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


def install():
    """Make every Django translation object keep its answers (called once, at start-up)."""
    trans_real.DjangoTranslation.gettext = kept_gettext
