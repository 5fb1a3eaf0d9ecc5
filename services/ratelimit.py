"""Fixed-window counters in the Django cache (locmem here, Redis at scale)."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """REMOTE_ADDR, or the first X-Forwarded-For hop when settings say a proxy sets it."""
    if getattr(settings, "SERVICES_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(scope, ident):
    return f"services:rl:{scope}:{ident}"


def is_limited(scope, ident, limit):
    """True once ``ident`` has used up ``limit`` (count, seconds) in ``scope``."""
    count, _seconds = limit
    return (cache.get(_key(scope, ident)) or 0) >= count


def hit(scope, ident, limit):
    """Count one use; returns the new count."""
    _count, seconds = limit
    key = _key(scope, ident)
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


def setting_limit(name, default):
    return tuple(getattr(settings, name, default))
