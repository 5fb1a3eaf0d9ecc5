"""Cache-backed counters for rate limits; shared across app servers when the cache is Redis."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The client's address.

    Behind ``TRUSTED_PROXY_COUNT`` proxies, each appending to X-Forwarded-For, the client is
    that many entries from the right; anything further left was written by the client and
    could be forged, so it is never used. With no trusted proxy, REMOTE_ADDR.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _key(scope, identity):
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def count(scope, identity):
    return cache.get(_key(scope, identity), 0)


def hit(scope, identity, window):
    """Count one event in a fixed window of ``window`` seconds; return the new count."""
    key = _key(scope, identity)
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, window)
        return 1


def is_limited(scope, identity, limit):
    return count(scope, identity) >= limit


def reset(scope, identity):
    cache.delete(_key(scope, identity))
