"""Production: everything comes from the environment (see docs/deploy.md)."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment.")

# Keep each worker's connection between requests, SQLite's too: a new SQLite connection
# re-reads the schema and registers Django's functions, about 1.5 ms per request.
if "default" in DATABASES:  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405

# Without Redis, a cache every gunicorn worker on this machine shares (the page cache's
# content version and the rate limits must be the same in all of them).
if not os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "cache")),  # noqa: F405
            "TIMEOUT": 300,
        }
    }

# Wagtail's rendition cache: Image.get_renditions writes the renditions it found back to it on
# every view (ten writes per article page, about 3 ms with the file cache). Each worker keeps
# its own in memory, and cms.rendition_cache does not store again what it handed out.
# Keys include the image file's hash and the focal point, so a replaced or re-cropped image
# never comes from a stale entry; after `wagtail_update_image_renditions --purge` other
# workers may point at old files for up to the timeout.
CACHES["renditions"] = {
    "BACKEND": "cms.rendition_cache.RenditionCache",
    "LOCATION": "wagtail-renditions",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# HTTPS: the app normally sits behind a proxy that terminates TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Email
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Search: Elasticsearch 9 when configured, with a Chinese analyzer (cjk by default,
# ik or smartcn through ELASTICSEARCH_ANALYZER when the cluster has the plugin). The
# database index is kept beside it and answers while the cluster is unreachable.
if os.environ.get("ELASTICSEARCH_URL"):
    from search.elasticsearch_settings import search_backends

    WAGTAILSEARCH_BACKENDS = search_backends(
        env_list("ELASTICSEARCH_URL"),
        index_prefix=os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "cms_"),
        analyzer=os.environ.get("ELASTICSEARCH_ANALYZER", "cjk"),
        timeout=int(os.environ.get("ELASTICSEARCH_TIMEOUT", "10")),
        fallback_seconds=int(os.environ.get("ELASTICSEARCH_FALLBACK_SECONDS", "30")),
    )

# Structured logs on stdout.
LOGGING["formatters"]["json"] = {"()": "cms.logging.JSONFormatter"}  # noqa: F405
LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405

# Media on S3-compatible object storage (MEDIA_STORAGE=s3); private files under their own
# prefix, never public, handed out only through signed URLs by permission-checking views.
if os.environ.get("MEDIA_STORAGE") == "s3":
    _s3 = {
        "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
        "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
        "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
        "file_overwrite": False,
    }
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "location": "media", "default_acl": "public-read", "querystring_auth": False},
    }
    STORAGES["private"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": os.environ.get("AWS_PRIVATE_BUCKET_NAME", _s3["bucket_name"]),
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "custom_domain": None,
        },
    }

# Purge a CDN or a Varnish/nginx cache when pages are published (wagtail frontend_cache).
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("FRONTEND_CACHE_CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ["FRONTEND_CACHE_CLOUDFLARE_TOKEN"],
        "ZONEID": os.environ["FRONTEND_CACHE_CLOUDFLARE_ZONEID"],
    }

# Error reports, only when a DSN is configured.
if os.environ.get("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(
        dsn=os.environ["SENTRY_DSN"],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )
