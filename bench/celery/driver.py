"""Producer side of the Celery benchmark; prints one JSON line.

  driver.py enqueue QUEUE COUNT        -> {"seconds": s}  COUNT no-op tasks, sequential apply_async
  driver.py paced QUEUE RATE COUNT     -> {"seconds": s}  COUNT timed tasks at RATE/s, open loop
"""
import json
import sys
import time

from bench_app import app, noop


def enqueue(queue, count):
    with app.producer_or_acquire() as producer:
        start = time.perf_counter()
        for _ in range(count):
            noop.apply_async(queue=queue, producer=producer)
        return time.perf_counter() - start


def paced(queue, rate, count):
    with app.producer_or_acquire() as producer:
        start = time.perf_counter()
        sent = 0
        while sent < count:
            due = min(count, int((time.perf_counter() - start) * rate) + 1)
            while sent < due:
                noop.apply_async(args=(time.time() * 1000.0,), queue=queue, producer=producer)
                sent += 1
            time.sleep(0.0005)
        return time.perf_counter() - start


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "enqueue":
        seconds = enqueue(sys.argv[2], int(sys.argv[3]))
    elif command == "paced":
        seconds = paced(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
    else:
        raise SystemExit(f"unknown command {command!r}: use enqueue or paced")
    print(json.dumps({"seconds": seconds}))
