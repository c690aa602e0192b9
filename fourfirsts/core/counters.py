"""Counters in the shared cache, so every web process and worker counts the
same events (rate limits). Atomic where the cache is (Redis incr)."""

from django.core.cache import cache


def count(key: str, timeout: int) -> int:
    """Add one to `key` (created with `timeout` seconds to live) and return the new count."""
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1
