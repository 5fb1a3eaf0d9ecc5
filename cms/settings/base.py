"""Settings shared by every environment, safe by default.

DEBUG is off and the secret key comes from the environment: a deployment that
forgets to configure something fails closed instead of running in debug mode
with a known key. ``dev.py`` and ``test.py`` relax what they need.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "cms"


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
# Empty means Django refuses to start; production.py insists on it explicitly.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps, lowest layer first (see DESIGN.md: cms imports none of the others).
    "cms",
    "news",
    "policy",
    "services",
    "search",
    "home",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtailgeowidget",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "cms.middleware.PermissionsPolicyMiddleware",  # outermost: HTTPS redirects carry it too
    "cms.middleware.SiteLanguageMiddleware",  # every response below is rendered in it
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.RejectNulBytesMiddleware",
    "cms.csp.CSPMiddleware",  # django-csp's, its header built once (see the module)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cms.middleware.ConditionalGetMiddleware",  # Django's, with a cheaper ETag
    "cms.cache.AnonymousPageCacheMiddleware",
    "cms.cache.SharedSiteLookupMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "cms.middleware.AuthenticationMiddleware",  # Django's without a reference cycle
    "cms.middleware.MessageMiddleware",  # likewise
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "cms.template_backend.DjangoTemplates",  # Django's; see the module
        "NAME": "django",  # the name Django's backend has (engines["django"])
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site",
                "csp.context_processors.nonce",
                "cms.cache.csrf_context",  # after Django's own csrf processor, which it overrides
            ],
        },
    },
]

# Database: SQLite (WAL, busy timeout, immediate transactions so concurrent writers
# queue instead of failing with "database is locked"); DATABASE_URL switches engines.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "db.sqlite3"))
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis when REDIS_URL is set.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if os.environ.get("REDIS_URL"):
    # Sessions read from Redis and survive a cache flush in the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cms"),
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cms-default",
        }
    }

# Whole-response cache for anonymous visitors (see cms/cache.py); 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("CACHE_MIDDLEWARE_SECONDS", "300"))
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "60"))
# Extra "app_label.model" names whose changes never show on public pages (private data).
PAGE_CACHE_IGNORED_MODELS = []

# Tasks (django-tasks, as Wagtail 8 uses it): immediate by default, so `make run` needs no
# worker; TASKS_BACKEND=database queues them in the database for `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if os.environ.get("TASKS_BACKEND") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: Simplified Chinese, China Standard Time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Let Django serve MEDIA_URL itself (development and browser tests); production uses the proxy.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Files that must never be reachable through MEDIA_URL (service request attachments).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    # Django's file system storages, keeping the URLs they give (cms.kept_urls).
    "default": {"BACKEND": "cms.kept_urls.MediaStorage"},
    # Service-request attachments: no base URL, so nothing in it is ever linked publicly.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "cms.kept_urls.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security headers that hold everywhere; production.py adds the HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's preview views override this with SAMEORIGIN themselves.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Browser features no page of ours uses are switched off for every response (admin and static
# files too); the collaboration map never asks for the visitor's location, so geolocation too.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
}

# Content Security Policy for public pages: scripts only from our origin or carrying the
# per-request nonce (`<script nonce="{{ CSP_NONCE }}">`). Inline style attributes stay
# allowed (Leaflet and the Wagtail user bar set them). The admin is Wagtail's own code and
# is left out. CSP_EXTRA_IMG_SRC / CSP_EXTRA_FRAME_SRC add hosts (map tiles, video embeds).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", *env_list("CSP_EXTRA_IMG_SRC")],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF, *env_list("CSP_EXTRA_FRAME_SRC")],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Wagtail
WAGTAIL_SITE_NAME = "重庆科技与中小企业服务网"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Chinese-aware database search (search/backends/): jieba segmentation at index and
# query time on SQLite FTS5 or PostgreSQL. See docs/search.md.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "search.backends.database"},
}
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ofd", "txt", "csv", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_SEARCH_ENABLED = True

# How many proxies in front append to X-Forwarded-For (nginx: 1); 0 trusts REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Admin login: refuse after repeated failures (per username and per address).
WAGTAILADMIN_USER_LOGIN_FORM = "cms.forms.ThrottledLoginForm"
LOGIN_THROTTLE_LIMIT = int(os.environ.get("LOGIN_THROTTLE_LIMIT", "5"))
LOGIN_THROTTLE_WINDOW = int(os.environ.get("LOGIN_THROTTLE_WINDOW", "900"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {"DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
    },
}

# --- SME service requests (services app) -------------------------------------------
# Limits are (count, seconds) windows in the cache; due days per kind are
# {"talent": (acceptance, completion)} in working days; holidays are ISO dates.
SERVICES_SUBMIT_RATE = (int(os.environ.get("SERVICES_SUBMIT_PER_HOUR", "20")), 3600)
SERVICES_TRACK_FAILURE_RATE = (5, 15 * 60)
# Public forms (services.antispam): seconds a person takes at least, and how long a served
# form's start token stays valid.
SERVICES_MIN_FILL_SECONDS = 3
SERVICES_FORM_MAX_AGE = 6 * 3600
SERVICES_MAX_ATTACHMENTS = 5
SERVICES_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
SERVICES_MAX_BODY_BYTES = 52 * 1024 * 1024
SERVICES_DUE_DAYS = {}
SERVICES_HOLIDAYS = []
SERVICES_EMAIL_TIMEOUT = 10
# Closed requests older than this lose their personal data when purge_requests runs without a date.
SERVICES_RETENTION_DAYS = int(os.environ.get("SERVICES_RETENTION_DAYS", "730"))
# Requests are private: saving one must not invalidate the anonymous page cache.
PAGE_CACHE_IGNORED_MODELS = [
    *PAGE_CACHE_IGNORED_MODELS,
    "services.servicerequest",
    "services.requestevent",
    "services.requestattachment",
    # The enterprise register and officer groups are seen only in the admin.
    "services.enterprise",
    "services.officergroup",
    "services.officergroup_members",
]

# --- Collaboration map and expert board (services/collaboration/) -----------------
# Public map tiles. crs is the datum the tiles are drawn in: "wgs84" (OpenStreetMap,
# 天地图 *_w layers) or "gcj02" (高德 and other maps licensed in China); with gcj02 the
# map script draws markers at converted coordinates. See docs/tiles.md.
COLLABORATION_MAP_TILES = {
    "url": os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    "labels_url": os.environ.get("MAP_TILE_LABELS_URL", ""),
    "attribution": os.environ.get(
        "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    ),
    "max_zoom": int(os.environ.get("MAP_TILE_MAX_ZOOM", "19")),
    "subdomains": os.environ.get("MAP_TILE_SUBDOMAINS", "abc"),
    "crs": os.environ.get("MAP_TILE_CRS", "wgs84"),
}
# The admin location picker stores what it shows, so it must use WGS-84 tiles: the
# public tiles when they are WGS-84, OpenStreetMap otherwise.
GEO_WIDGET_DEFAULT_LOCATION = {"lat": 29.56, "lng": 106.55}  # 重庆渝中区
GEO_WIDGET_ZOOM = 9
GEO_WIDGET_LEAFLET_TILE_LAYER = (
    COLLABORATION_MAP_TILES["url"]
    if COLLABORATION_MAP_TILES["crs"] == "wgs84"
    else "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
GEO_WIDGET_LEAFLET_TILE_LAYER_OPTIONS = {
    "attribution": COLLABORATION_MAP_TILES["attribution"]
    if COLLABORATION_MAP_TILES["crs"] == "wgs84"
    else '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    "subdomains": COLLABORATION_MAP_TILES["subdomains"],
    "maxZoom": COLLABORATION_MAP_TILES["max_zoom"],
}


# The public map's browser fetches tiles from these hosts: let them through the CSP.
def _tile_origins(config):
    from urllib.parse import urlsplit

    origins = []
    for url in (config["url"], config["labels_url"]):
        parts = urlsplit(url)
        if not parts.scheme or not parts.netloc:
            continue
        hosts = (
            [parts.netloc.replace("{s}", sub) for sub in config["subdomains"]]
            if "{s}" in parts.netloc
            else [parts.netloc]
        )
        origins += [f"{parts.scheme}://{host}" for host in hosts]
    return origins


CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += _tile_origins(COLLABORATION_MAP_TILES)
# 留言 form: per-address (limit, window seconds); the address comes from
# cms.ratelimit.client_ip (TRUSTED_PROXY_COUNT). Its anti-spam checks are the service forms'.
COLLABORATION_FORMS = {"question_rate": (5, 3600)}
# 在线咨询 is handled by the SME service-request pipeline: the dotted path of its view,
# called as view(request, expert=expert_page). Empty: the expert page says it is not open yet.
EXPERT_CONSULTATION_VIEW = "services.consultation.consult"

# Popular-search hits: each worker writes its count in batches (search/hits.py).
SEARCH_HITS_FLUSH_SECONDS = float(os.environ.get("SEARCH_HITS_FLUSH_SECONDS", "10"))
SEARCH_HITS_MAX_PENDING = int(os.environ.get("SEARCH_HITS_MAX_PENDING", "500"))
