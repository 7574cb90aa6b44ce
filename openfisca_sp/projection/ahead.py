"""Work on the next item prepared in a thread while the caller works on the current one.

A projection year moves and converts each chunk of the base table (Arrow and NumPy work that mostly releases the
interpreter's lock) and then runs the rules on it (mostly Python): preparing chunk k + 1 while the rules run on
chunk k keeps a second core busy. At most two prepared items are held at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Prepared = TypeVar("Prepared")


def prepared_ahead(items: Iterable[Item], prepare: Callable[[Item], Prepared]) -> Iterator[Prepared]:
    """``prepare(item)`` for each item in order, the next one prepared in a thread while the caller works on the
    current one. An error while preparing is raised where its item would have been yielded."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepared-ahead") as pool:
        pending: Future[Prepared] | None = None
        for item in items:
            following = pool.submit(prepare, item)
            if pending is not None:
                yield pending.result()
            pending = following
        if pending is not None:
            yield pending.result()
