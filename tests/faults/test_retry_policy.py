"""The retry policy's decisions, one at a time: what is retried, when it is given up."""

from __future__ import annotations

import threading
import time

import pytest
from urllib3 import HTTPResponse
from urllib3.exceptions import MaxRetryError, NewConnectionError

from bot.outbound.retry import BoundedRetry, rate_limit_wait
from bot.shared import deadline

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"Retry-After": "2"}, 2.0),
        ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW) + 30)}, 30.0),
        ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW) - 5)}, 0.0),
        ({"Retry-After": "3", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"}, 3.0),
        ({"X-RateLimit-Remaining": "12", "X-RateLimit-Reset": str(int(NOW) + 30)}, None),
        ({"X-RateLimit-Remaining": "0"}, None),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, None),
        ({}, None),
    ],
)
def test_a_rate_limit_is_recognised_by_githubs_headers_only(headers, wait) -> None:
    assert rate_limit_wait(headers, now=NOW) == wait


def retry(reserve: float = 1.0, **kwargs) -> BoundedRetry:
    policy = BoundedRetry(
        total=2, status_forcelist=(403, 429, 500), backoff_factor=0.1, raise_on_status=False
    )
    policy.reserve = reserve
    return policy.new(**kwargs)


def response(status: int, **headers: str) -> HTTPResponse:
    return HTTPResponse(body=b"", status=status, headers=headers, preload_content=False)


def refused_connection() -> NewConnectionError:
    return NewConnectionError(None, "Connection refused")


def test_a_rate_limited_post_is_retried_but_a_failed_one_is_not() -> None:
    assert retry().is_retry("POST", 403)
    assert retry().is_retry("POST", 429)
    assert not retry().is_retry("POST", 500)
    assert retry().is_retry("GET", 500)


def test_a_403_without_rate_limit_headers_is_given_up_at_once() -> None:
    with pytest.raises(MaxRetryError, match="not rate limited"):
        retry().increment("GET", "/x", response=response(403))


def test_a_rate_limit_whose_wait_fits_the_deadline_is_retried_after_that_wait() -> None:
    limited = response(403, **{"Retry-After": "2"})
    with deadline.within(5.0):
        later = retry(reserve=1.0).increment("GET", "/x", response=limited)
    assert later.pause(limited) == 2.0


def test_a_rate_limit_whose_wait_does_not_fit_is_given_up_without_waiting() -> None:
    started = time.monotonic()
    with deadline.within(5.0), pytest.raises(MaxRetryError, match="no time left"):
        retry(reserve=1.0).increment("GET", "/x", response=response(429, **{"Retry-After": "60"}))
    assert time.monotonic() - started < 0.5


def test_a_retry_starts_only_if_a_whole_attempt_still_fits() -> None:
    with deadline.within(0.5), pytest.raises(MaxRetryError) as raised:
        retry(reserve=1.0).increment("GET", "/x", error=refused_connection())
    assert isinstance(raised.value.reason, NewConnectionError)  # the cause stays visible
    with deadline.within(5.0):
        assert retry(reserve=1.0).increment("GET", "/x", error=refused_connection())


def test_outside_any_deadline_the_counts_still_bound_the_retries() -> None:
    policy = retry(reserve=1.0, total=0)
    with pytest.raises(MaxRetryError):
        policy.increment("GET", "/x", error=refused_connection())


def test_deadlines_nest_and_the_tighter_one_wins() -> None:
    assert deadline.remaining() is None
    with deadline.within(10.0):
        with deadline.within(0.2):
            left = deadline.remaining()
            assert left is not None
            assert left <= 0.2
        outer = deadline.remaining()
        assert outer is not None
        assert outer > 5
    assert deadline.remaining() is None


def test_an_attempts_timeout_is_cut_to_what_is_left() -> None:
    assert deadline.clamp(4.0) == 4.0
    with deadline.within(1.0):
        clamped = deadline.clamp(4.0)
        assert clamped is not None
        assert clamped <= 1.0
        assert deadline.fits(0.5)
        assert not deadline.fits(2.0)


def test_the_deadline_follows_the_work_into_another_thread() -> None:
    seen: list[float | None] = []
    with deadline.within(1.0):
        work = deadline.run_with_context(lambda: seen.append(deadline.remaining()))
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen[0] is not None
    assert seen[0] <= 1.0
