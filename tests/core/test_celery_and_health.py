"""Celery end to end with a real worker process and real Redis; /healthz reports each component."""

import pytest
from django.core.cache import cache

from apps.core.tasks import HEARTBEAT_KEY, heartbeat


def test_healthz_is_503_and_names_celery_when_no_worker_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is True
    assert body["checks"]["celery"]["ok"] is False


@pytest.mark.worker
def test_a_real_worker_runs_a_task_end_to_end(celery_worker_process, transactional_db):
    cache.delete(HEARTBEAT_KEY)
    result = heartbeat.delay()
    ran_at = result.get(timeout=30)
    assert cache.get(HEARTBEAT_KEY) == ran_at


@pytest.mark.worker
def test_healthz_is_200_when_database_redis_and_a_worker_answer(celery_worker_process, client, transactional_db):
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["celery"]["workers"] >= 1


def test_livez_answers_without_asking_the_database_redis_or_a_worker(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_is_200_with_database_and_redis_even_when_no_worker_answers(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "redis"}


def test_readyz_is_503_and_names_redis_when_redis_does_not_answer(client, db, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True
