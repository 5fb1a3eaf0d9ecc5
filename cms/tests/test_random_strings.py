"""Random strings in one read of the system's generator (cms.random_strings)."""

import collections
import string

from django.middleware import csrf
from django.test import Client
from django.utils import crypto

from cms import random_strings


def test_installed_where_csrf_and_crypto_look():
    assert csrf.get_random_string is random_strings.get_random_string
    assert crypto.get_random_string is random_strings.get_random_string
    assert len(csrf._get_new_csrf_string()) == csrf.CSRF_SECRET_LENGTH


def test_length_and_alphabet():
    for alphabet in (crypto.RANDOM_STRING_CHARS, csrf.CSRF_ALLOWED_CHARS, "ab", "x", "".join(map(chr, range(256)))):
        for length in (0, 1, 5, 32, 1000):
            text = random_strings.get_random_string(length, alphabet)
            assert len(text) == length
            assert set(text) <= set(alphabet)
    assert set(random_strings.get_random_string(200)) <= set(string.ascii_letters + string.digits)


def test_an_alphabet_longer_than_a_byte_is_left_to_django():
    alphabet = "".join(chr(0x4E00 + i) for i in range(300))
    text = random_strings.get_random_string(3000, alphabet)
    assert len(text) == 3000 and set(text) <= set(alphabet)
    assert len(set(text)) > 250  # characters beyond the first 256 are drawn too


def test_every_character_is_equally_likely():
    # 200 characters: bytes taken modulo 200 without refusing 200-255 would make the
    # first 56 characters twice as likely as the rest.
    alphabet = "".join(chr(0x4E00 + i) for i in range(200))
    counts = collections.Counter(random_strings.get_random_string(200 * 1000, alphabet))
    first = sum(counts[c] for c in alphabet[:56]) / 56
    rest = sum(counts[c] for c in alphabet[56:]) / 144
    assert 0.95 < first / rest < 1.05  # about 0.005 of spread expected; 2.0 if biased
    assert min(counts.values()) > 850 and max(counts.values()) < 1150  # expected 1,000 each, sd 32
    # Strings do not repeat.
    assert len({random_strings.get_random_string(32) for _ in range(1000)}) == 1000


def test_a_form_page_still_sets_a_csrf_cookie_that_its_token_matches(db):
    response = Client(enforce_csrf_checks=True).get("/admin/login/")
    cookie = response.cookies["csrftoken"].value
    assert len(cookie) == csrf.CSRF_SECRET_LENGTH
    token = response.context["csrf_token"]
    assert csrf._unmask_cipher_token(str(token)) == cookie
