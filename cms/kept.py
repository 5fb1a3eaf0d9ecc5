"""Answers kept per process in a plain dictionary, bounded (``cms.kept_urls``, ``cms.kept_sql``)."""


def remember(store, key, compute, limit):
    """``store[key]``, made with ``compute()`` the first time it is asked for.

    ``store`` is emptied when it already holds ``limit`` answers (the keys may vary without
    bound); a ``compute()`` that raises keeps nothing.
    """
    try:
        return store[key]
    except KeyError:
        pass
    value = compute()
    if len(store) >= limit:
        store.clear()
    store[key] = value
    return value
