"""One run at a time: the lock every periodic job and long batch takes (two beats, or a retry beside a slow run).

A lock is a key added to the shared cache (Redis) only if absent, with a timeout so that a run killed with its
worker never blocks the next one for longer than that. Use the decorator on a Celery task, the context manager
inside a service.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.utils.crypto import get_random_string


@contextmanager
def held_lock(key: str, *, timeout: int) -> Iterator[bool]:
    """Take the lock ``key`` for the block: yields True when taken, False when another run holds it."""
    token = get_random_string(16)
    held = cache.add(key, token, timeout=timeout)
    try:
        yield held
    finally:
        if held and cache.get(key) == token:  # never release a lock that expired and another run took since
            cache.delete(key)


def one_at_a_time(key: str | Callable[..., str], *, timeout: int, skipped=None):
    """Decorate a job so that only one run holds ``key`` at once; another run returns ``skipped`` at once.

    ``key`` may be a function of the job's arguments (a lock per day, say).
    """

    def decorate(job):
        @functools.wraps(job)
        def wrapper(*args, **kwargs):
            name = key(*args, **kwargs) if callable(key) else key
            with held_lock(name, timeout=timeout) as held:
                if not held:
                    return skipped
                return job(*args, **kwargs)

        return wrapper

    return decorate
