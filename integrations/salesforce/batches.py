"""Splitting work into the batches Salesforce accepts (200 records a Collections request, a few
hundred values in a SOQL IN list)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def chunks(items: Iterable[T], size: int) -> list[list[T]]:
    """`items` in order, in lists of at most `size`."""
    iterator = iter(items)
    return list(iter(lambda: list(islice(iterator, size)), []))
