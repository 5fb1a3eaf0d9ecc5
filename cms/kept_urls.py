"""URLs worked out once per process: reversed URL names, static files and media files.

A page links to itself and other pages through ``reverse("wagtail_serve", …)`` (Wagtail's
``pageurl`` and ``full_url``), to its style sheets and scripts through ``{% static %}``
and to image renditions through the media storage. Each answer is a pure function of its
inputs and of things fixed while the process runs (the URL patterns, the static files
manifest, the media base URL), yet Django works it out again every time: on this
machine a reverse took 16 µs, a static URL 18 µs and a media URL 9 µs, and the news
index asks for some 50 of them. Here each answer is kept, bounded, next to what it
depends on:

- reversed URLs on the URL resolver object (Django makes a new one when the URL
  configuration changes), keyed by the name, the script prefix and the arguments, when
  these are plain strings and integers, and by the language when the configuration has
  translated patterns or language prefixes (asking for the language cost as much as the
  rest of a kept reverse, so a configuration without them is not keyed by it);
- static URLs on the static files storage, with the manifest in use (``DEBUG`` off),
  forgotten when ``collectstatic`` rewrites the manifest (and ``{% static %}`` asks the
  storage without first walking the app registry to see whether staticfiles is installed);
- media URLs on the media storage, keyed by the base URL and the file name.

A call that raises (an unknown name, a file missing from the manifest) keeps nothing.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import FileSystemStorage
from django.templatetags.static import StaticNode
from django.urls.resolvers import LocalePrefixPattern, URLResolver
from django.utils.functional import Promise
from django.utils.translation import get_language

from cms.kept import remember

MAX_KEPT = 5_000  # per resolver or storage; pages link to many pages, so bounded


def _kept(owner, key, compute):
    kept = owner.__dict__.get("_kept_urls")
    if kept is None:
        kept = owner._kept_urls = {}
    return remember(kept, key, compute, MAX_KEPT)


_PLAIN = (str, int)
_django_reverse_with_prefix = URLResolver._reverse_with_prefix


def kept_reverse_with_prefix(self, lookup_view, _prefix, *args, **kwargs):
    def compute():
        return _django_reverse_with_prefix(self, lookup_view, _prefix, *args, **kwargs)

    # Lazy strings and objects could mean something else next time: only plain values.
    if type(lookup_view) is not str or not all(type(v) in _PLAIN for v in (*args, *kwargs.values())):
        return compute()
    language = get_language() if _depends_on_language(self) else None
    key = (language, lookup_view, _prefix, args, tuple(sorted(kwargs.items())))
    return _kept(self, key, compute)


def _depends_on_language(resolver):
    """Whether what ``resolver`` reverses to can change with the language (kept on it)."""
    depends = resolver.__dict__.get("_kept_urls_language")
    if depends is None:
        depends = resolver._kept_urls_language = _has_translated_patterns(resolver)
    return depends


def _has_translated_patterns(resolver):
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            return True
        if isinstance(getattr(pattern, "_route", None), Promise) or isinstance(
            getattr(pattern, "_regex", None), Promise
        ):
            return True
        if isinstance(entry, URLResolver) and _has_translated_patterns(entry):
            return True
    return False


_django_static_url = StaticNode.handle_simple.__func__
_installed_apps = (None, frozenset())


def _staticfiles_installed():
    """``apps.is_installed("django.contrib.staticfiles")``, answered from a set of names.

    Django's walks every installed app's configuration (some 50 name comparisons) for each
    ``{% static %}`` tag. The set is made again whenever the registry holds another
    mapping of apps (tests that change ``INSTALLED_APPS`` make a new one).
    """
    global _installed_apps
    configs, names = _installed_apps
    if configs is not apps.app_configs:
        apps.check_apps_ready()
        configs = apps.app_configs
        names = frozenset(config.name for config in configs.values())
        _installed_apps = (configs, names)
    return "django.contrib.staticfiles" in names


def static_url(cls, path):
    """``StaticNode.handle_simple`` (what ``{% static %}`` and ``static()`` call)."""
    if _staticfiles_installed():
        return staticfiles_storage.url(path)
    return _django_static_url(cls, path)


def install():
    """Make URL resolvers keep what they reversed and ``{% static %}`` find its storage
    without walking the app registry (called once, at start-up)."""
    URLResolver._reverse_with_prefix = kept_reverse_with_prefix
    StaticNode.handle_simple = classmethod(static_url)


def forget_reversed():
    """Forget what the resolvers in use reversed (tests that change what a name reverses to
    without changing the URL configuration)."""
    from django.urls import get_resolver

    get_resolver().__dict__.pop("_kept_urls", None)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage, keeping each static URL it gave."""

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        return _kept(self, name, lambda: super(StaticFilesStorage, self).url(name))

    def post_process(self, *args, **kwargs):
        self.__dict__.pop("_kept_urls", None)
        yield from super().post_process(*args, **kwargs)
        self.__dict__.pop("_kept_urls", None)


class MediaStorage(FileSystemStorage):
    """The file system storage, keeping each file URL it gave."""

    def url(self, name):
        return _kept(self, (self.base_url, name), lambda: super(MediaStorage, self).url(name))
