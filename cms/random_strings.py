"""Random strings drawn from the system's generator in one read, not one read a character.

Django's ``get_random_string`` picks each character with ``secrets.choice``, which asks
the operating system for fresh random bits on every call (``os.urandom``, a system call
each). A visitor without a CSRF cookie gets a new secret and a masked token on each form
page, 64 characters and so 64 reads: on the cached service form (its token is filled in
per visitor, ``cms.cache``) that was the largest single cost, more than reading the page
from the cache.

``get_random_string`` here has the same alphabet, length and source (``secrets``, the
operating system's generator) and the same uniform distribution: it reads a batch of
random bytes and keeps each byte below the largest multiple of the alphabet's length
that fits in a byte, so every character is equally likely (rejection sampling, as
``secrets.randbelow`` does with bits). An alphabet longer than 256 characters is left to
Django's function.
"""

import secrets

from django.middleware import csrf
from django.utils import crypto

_django_get_random_string = crypto.get_random_string


def get_random_string(length, allowed_chars=crypto.RANDOM_STRING_CHARS):
    """``django.utils.crypto.get_random_string``: ``length`` characters of
    ``allowed_chars``, each chosen uniformly by the system's generator."""
    size = len(allowed_chars)
    if not 0 < size <= 256:
        return _django_get_random_string(length, allowed_chars)
    limit = 256 - 256 % size  # bytes at or above it would favour the first characters
    chosen = []
    while len(chosen) < length:
        missing = length - len(chosen)
        # A few spare bytes: with 62 characters one byte in 32 is refused.
        for byte in secrets.token_bytes(missing + missing // 8 + 4):
            if byte < limit:
                chosen.append(allowed_chars[byte % size])
                if len(chosen) == length:
                    break
    return "".join(chosen)


def install():
    """Make CSRF secrets and masks (and ``django.utils.crypto.get_random_string``'s
    callers that look it up there) use ``get_random_string`` (called once, at start-up)."""
    crypto.get_random_string = get_random_string
    csrf.get_random_string = get_random_string
