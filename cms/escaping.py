"""HTML escaping without ``keep_lazy``'s check on every call, and plain text printed by
templates escaped at once.

Every value a template prints goes through ``conditional_escape``, which hands plain text
to ``django.utils.html.escape``. That function is wrapped by ``keep_lazy`` so that a lazy
string comes back lazy; the wrapper finds out by chaining the positional and keyword
arguments and testing each (a generator, ``any`` and ``itertools.chain`` per call), which
costs more than escaping a short text: an article prints some 80 values, a policy page
some 140 (callgrind: 4 % of an article's instructions, 3 % of a policy page's).

``escape`` here takes one argument, as Django's does, tests it once and does the same
work: a lazy string gives a lazy escaped string (escaped when it is shown, in the language
active then), anything else ``SafeString(html.escape(str(text)))``.

``{{ value }}`` then passes the value through ``render_value_in_context``: a time-zone
check, a localisation check against every type ``localize`` knows, a string test and
``conditional_escape``. For a value that is exactly ``str`` (most of what a page prints:
titles, names, URLs) each of these hands it on unchanged until it is escaped, so
``render_variable`` escapes such a value at once; anything else (safe text, numbers,
dates, lazy strings, objects) takes Django's path as before.

Django's ``flatatt`` (Wagtail's image tags print the attributes of each ``<img>`` and
``<source>`` with it) builds ``' key="value"'`` pairs through ``format_html_join``: a
``format_html`` per attribute, each escaping through two ``keep_lazy`` wrappers. A
responsive lead image (``{% picture %}``: two ``<source>`` tags and an ``<img>``) spends
most of its HTML building there. ``flatatt`` here gives the same text: pairs sorted by
name, booleans last, each name and value passed through ``conditional_escape``.

Django's ``linebreaksbr`` filter (each support measure's benefit and conditions) goes
through ``stringfilter`` and then two more ``keep_lazy`` wrappers (``normalize_newlines``
with a regular expression, and Django's ``escape``): 2.6 % of a cold policy page (py-spy).
``linebreaksbr`` here gives the same text: the value as text, its line ends made ``\n``,
escaped unless it is safe text or autoescaping is off, each line end then ``<br>``.
"""

import html
from operator import itemgetter

from django.forms import utils as forms_utils
from django.template import defaultfilters
from django.template.base import VariableNode, render_value_in_context
from django.utils import html as django_html
from django.utils.functional import Promise, lazy
from django.utils.safestring import SafeData, SafeString

from wagtail.images import models as image_models

_django_escape = django_html.escape
_escape_now = _django_escape.__wrapped__  # the function keep_lazy wrapped
_escape_later = lazy(_escape_now, SafeString)
_html_escape = html.escape


def escape(text):
    """``django.utils.html.escape``: ``text`` with ``& < > " '`` encoded, marked safe."""
    if isinstance(text, Promise):
        return _escape_later(text)
    return SafeString(_html_escape(str(text)))  # nosec B703: escaped on this line


_django_variable_render = VariableNode.render


def render_variable(self, context):
    """``VariableNode.render``: what ``render_value_in_context`` would give, at once for
    plain text."""
    try:
        output = self.filter_expression.resolve(context)
    except UnicodeDecodeError:  # as Django: a value that cannot be shown prints nothing
        return ""
    if type(output) is str:
        return SafeString(_html_escape(output)) if context.autoescape else output  # nosec B703: escaped
    return render_value_in_context(output, context)


_name = itemgetter(0)
_django_flatatt = forms_utils.flatatt


def flatatt(attrs):
    """``django.forms.utils.flatatt``: ``' key="value"'`` for each attribute that is not
    ``None`` or a boolean, in name order, then ``' key'`` for each that is ``True``."""
    pairs, flags = [], []
    for name, value in attrs.items():
        if isinstance(value, bool):
            if value:
                flags.append(name)
        elif value is not None:
            pairs.append((name, value))
    pairs.sort(key=_name)
    flags.sort()
    quote = django_html.conditional_escape
    return SafeString(  # nosec B703: every name and value escaped here
        "".join([f' {quote(name)}="{quote(value)}"' for name, value in pairs])
        + "".join([f" {quote(name)}" for name in flags])
    )


def linebreaksbr(value, autoescape=True):
    """Django's ``linebreaksbr`` filter with its ``stringfilter``: ``\\r\\n`` and ``\\r``
    become ``\\n``, the text is escaped unless it is safe or autoescaping is off, and each
    ``\\n`` becomes ``<br>``."""
    value = str(value)
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if autoescape and not isinstance(value, SafeData):
        text = _html_escape(text)
    return SafeString(text.replace("\n", "<br>"))  # nosec B703: escaped above, or safe already


def install():
    """Make ``conditional_escape`` (and every caller of ``django.utils.html.escape``
    that looks it up there) use ``escape``, and ``{{ value }}`` use ``render_variable``
    (called once, at start-up), image tags build their attributes with ``flatatt``
    (``wagtail.images.models`` imported Django's by name; modules that did the same, such
    as Django's form media, keep Django's), and templates parsed from now on use
    ``linebreaksbr`` for the filter of that name."""
    django_html.escape = escape
    VariableNode.render = render_variable
    forms_utils.flatatt = flatatt
    image_models.flatatt = flatatt
    defaultfilters.register.filter("linebreaksbr", linebreaksbr, is_safe=True, needs_autoescape=True)
