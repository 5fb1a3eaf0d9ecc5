"""Search backends that segment Chinese text (see ``docs/search.md``)."""
