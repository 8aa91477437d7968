"""A delivery's reads: started together, each made once, bounded by the deadline."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.delivery.reads import Reads
from bot.shared import deadline


def test_reads_of_one_delivery_are_made_once_and_in_parallel() -> None:
    both_running = threading.Barrier(2, timeout=5)
    calls: list[str] = []

    def read(name: str) -> str:
        calls.append(name)
        both_running.wait()  # fails unless the two reads run at the same time
        return name.upper()

    with ThreadPoolExecutor(4) as executor:
        reads = Reads(executor)
        reads.start(read, "pull")
        reads.start(read, "ref")
        reads.start(read, "pull")  # the same read again: not a second call
        assert (reads.get(read, "pull"), reads.get(read, "ref")) == ("PULL", "REF")
    assert sorted(calls) == ["pull", "ref"]


def test_a_read_not_started_beforehand_is_made_where_it_is_needed() -> None:
    with ThreadPoolExecutor(1) as executor:
        reads = Reads(executor)
        assert reads.get(threading.current_thread) is threading.current_thread()


def test_a_read_that_outlasts_the_deadline_is_given_up() -> None:
    with ThreadPoolExecutor(1) as executor:
        reads = Reads(executor)
        with deadline.within(0.1):
            reads.start(time.sleep, 1.0)
            with pytest.raises(deadline.OutOfTime, match="sleep did not answer in time"):
                reads.get(time.sleep, 1.0)


def test_an_error_of_a_read_reaches_whoever_needs_its_result() -> None:
    def broken() -> None:
        raise LookupError("no such pull request")

    with ThreadPoolExecutor(1) as executor:
        reads = Reads(executor)
        reads.start(broken)
        with pytest.raises(LookupError, match="no such pull request"):
            reads.get(broken)
