"""Run the same work in several threads released at once, as concurrent requests or workers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection


def run_together(work: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
    """`work(item)` for every item, all starting together; their results, in the items' order.

    An exception in a thread is raised here, where it can fail the test. Each thread closes
    its own database connection, so the test database can be flushed afterwards."""
    items = list(items)
    start = threading.Barrier(len(items))
    results: list[Any] = [None] * len(items)
    errors: list[BaseException] = []

    def run(index: int, item: Any) -> None:
        try:
            start.wait()
            results[index] = work(item)
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, item)) for index, item in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
