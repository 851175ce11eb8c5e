"""One run at a time: the lock periodic jobs and long batches take, against the real Redis cache."""

import pytest
from django.core.cache import cache

from apps.core.locks import held_lock, one_at_a_time


@pytest.fixture(autouse=True)
def _clean():
    cache.delete_many(["test:lock", "test:lock:2026-12-06", "test:lock:2026-12-07"])
    yield
    cache.delete_many(["test:lock", "test:lock:2026-12-06", "test:lock:2026-12-07"])


def test_a_second_run_is_skipped_while_the_first_holds_the_lock_and_runs_once_it_is_released():
    runs = []

    @one_at_a_time("test:lock", timeout=60, skipped="skipped")
    def job():
        runs.append("inner")
        return job_again()

    @one_at_a_time("test:lock", timeout=60, skipped="skipped")
    def job_again():
        return "ran"

    assert job() == "skipped"  # the nested run met the held lock
    assert job_again() == "ran"  # released after the first run
    assert runs == ["inner"]


def test_the_lock_is_released_when_the_job_fails():
    @one_at_a_time("test:lock", timeout=60)
    def failing():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing()
    with held_lock("test:lock", timeout=60) as held:
        assert held


def test_a_run_whose_lock_expired_does_not_release_the_lock_another_run_took_since():
    with held_lock("test:lock", timeout=60) as held:
        assert held
        cache.set("test:lock", "another run's token", 60)  # expired, then taken by another run
    assert cache.get("test:lock") == "another run's token"


def test_the_lock_key_may_depend_on_the_jobs_arguments():
    @one_at_a_time(lambda day: f"test:lock:{day}", timeout=60, skipped=0)
    def digest(day):
        with held_lock(f"test:lock:{day}", timeout=60) as same_day:
            with held_lock("test:lock:2026-12-07", timeout=60) as other_day:
                return (same_day, other_day)

    assert digest("2026-12-06") == (False, True)
