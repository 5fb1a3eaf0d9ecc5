"""Request-pipeline limits on top of cms.ratelimit (cache-backed, shared through Redis at scale)."""

from django.conf import settings

from cms import ratelimit as counters

client_ip = counters.client_ip  # honours TRUSTED_PROXY_COUNT


def is_limited(scope, ident, limit):
    """True once ``ident`` has used up ``limit`` = (count, seconds) in ``scope``."""
    return counters.is_limited(f"services-{scope}", ident, limit[0])


def hit(scope, ident, limit):
    """Count one use in the (count, seconds) window; returns the new count."""
    return counters.hit(f"services-{scope}", ident, limit[1])


def setting_limit(name, default):
    return tuple(getattr(settings, name, default))
