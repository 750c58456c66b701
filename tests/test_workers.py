"""The one worker mechanism (kg.workers): a child's value or its error comes back, a child past its
time or size budget is killed, an unread one is stopped, and a failing job stops its siblings."""

from __future__ import annotations

import os
import time

import psutil
import pytest

from avcluster.kg.errors import QueryError, QueryTimeout, ResultTooLarge
from avcluster.kg.workers import Worker, run_limited, run_shared


def gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def fail() -> int:
    raise ValueError("no luck")


def test_a_value_and_an_error_come_back_from_the_child() -> None:
    assert Worker(lambda: {"answer": 42}).result() == {"answer": 42}
    with pytest.raises(ValueError, match="no luck"):
        Worker(fail).result()


def test_an_error_that_cannot_travel_still_arrives_in_words() -> None:
    class Local(Exception):  # defined in a function: pickle cannot find it by name
        pass

    def raise_local() -> None:
        raise Local("made here")

    with pytest.raises(Exception, match="Local: made here"):
        Worker(raise_local).result()


def test_an_unread_child_is_stopped() -> None:
    unread = Worker(lambda: sum(range(10**10)))
    unread.close()
    assert gone(unread._pid)


def test_a_child_past_its_time_is_killed_and_the_timeout_named() -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"0\.3 s limit"):
        run_limited(lambda: sum(range(10**10)), timeout=0.3)
    assert time.monotonic() - started < 3


def test_an_answer_past_its_size_is_refused() -> None:
    with pytest.raises(ResultTooLarge):
        run_limited(lambda: b"x" * 100_000, timeout=10, max_bytes=1_000)
    assert run_limited(lambda: b"x" * 500, timeout=10, max_bytes=1_000) == b"x" * 500


def test_a_query_error_keeps_its_kind() -> None:
    def bad() -> None:
        raise QueryError("expected WHERE")

    with pytest.raises(QueryError, match="expected WHERE"):
        run_limited(bad, timeout=10)


def test_shared_jobs_come_back_in_order_and_a_failure_stops_the_others() -> None:
    assert run_shared([lambda: 1, lambda: 2, lambda: 3]) == [1, 2, 3]
    before = {child.pid for child in psutil.Process().children()}
    with pytest.raises(ValueError, match="no luck"):
        run_shared([fail, lambda: sum(range(10**10)), lambda: sum(range(10**10))])
    left = [c for c in psutil.Process().children() if c.pid not in before and c.status() != psutil.STATUS_ZOMBIE]
    assert not left, "a sibling of the failed job is still running"
