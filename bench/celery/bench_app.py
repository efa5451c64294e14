"""Celery 5 app for the benchmark: one no-op task on the Redis broker (REDIS_URL), no result backend.

The task takes an optional enqueue time (ms since the epoch). When given, it pushes the enqueue->start
delay to the Redis list BENCH_STARTS_KEY, after taking its start time, so the push is not measured.
"""
import os
import time

import redis
from celery import Celery

app = Celery("bench", broker=os.environ["REDIS_URL"])
app.conf.update(
    task_ignore_result=True,
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
    worker_prefetch_multiplier=int(os.environ.get("BENCH_CELERY_PREFETCH", "4")),
)

_starts = None


@app.task(name="noop")
def noop(enqueued_at=None):
    started = time.time() * 1000.0
    if enqueued_at is None:
        return None
    global _starts
    if _starts is None:
        _starts = redis.Redis.from_url(os.environ["REDIS_URL"])
    _starts.rpush(os.environ["BENCH_STARTS_KEY"], repr(started - enqueued_at))
    return None
