"""HTTP for fetching: timeouts, a size cap, retries with backoff, and one-line errors.

Only :mod:`importai_tui.core.fetch` and :mod:`importai_tui.core.fetch_archive` use this
module, and only while fetching: importing httpx costs a noticeable part of a second, which
the other commands should not pay.
"""

from __future__ import annotations

import os
import queue
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, TypeVar

import httpx

from importai_tui import __version__
from importai_tui.core.fetch import FetchError, Stopped
from importai_tui.core.sanitize import clean_line

USER_AGENT = f"importai-tui/{__version__} (terminal reader for the Import AI newsletter)"
CONNECT_TIMEOUT = 10.0  # seconds
READ_TIMEOUT = 30.0  # seconds without a byte from the server
MAX_BYTES = 20 * 1024 * 1024  # per response, after gzip decoding
ATTEMPTS = 3  # for connection errors and 5xx; a timeout is retried once at most
BACKOFF = 0.5  # seconds before the second attempt, doubling after that
MAX_RETRY_AFTER = 30.0  # longest Retry-After (429/503) we are willing to honour
IN_FLIGHT = 3  # archive requests at once
DELAY = 1.0  # seconds each archive worker waits before a request: polite to the server
POLL = 0.1  # seconds between looks at the caller's stop event while a request runs

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """Timeouts and limits; the environment may shorten them (the tests do)."""

    connect: float = CONNECT_TIMEOUT
    read: float = READ_TIMEOUT
    max_bytes: int = MAX_BYTES
    attempts: int = ATTEMPTS
    backoff: float = BACKOFF
    delay: float = DELAY

    @classmethod
    def from_env(cls) -> Settings:
        """The defaults, with IMPORTAI_FETCH_TIMEOUT / _MAX_BYTES / _BACKOFF / _DELAY applied."""
        read = _env_float("IMPORTAI_FETCH_TIMEOUT", READ_TIMEOUT)
        return cls(
            connect=min(CONNECT_TIMEOUT, read),
            read=read,
            max_bytes=int(_env_float("IMPORTAI_FETCH_MAX_BYTES", MAX_BYTES)),
            backoff=_env_float("IMPORTAI_FETCH_BACKOFF", BACKOFF),
            delay=_env_float("IMPORTAI_FETCH_DELAY", DELAY),
        )


def _env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Response:
    """A response read whole (2xx) or a 304 with no body."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes


class _Retry(Exception):
    """An attempt failed in a way that another attempt may fix."""

    def __init__(self, reason: str, *, timeout: bool = False, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timeout = timeout
        self.wait = wait


class Http:
    """An httpx client with the program's rules; safe to share between threads.

    Setting ``halt`` makes every request give up at its next chance (before an attempt,
    between retries, between chunks of the body).
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.halt = threading.Event()
        self.client = httpx.Client(
            timeout=httpx.Timeout(self.settings.read, connect=self.settings.connect),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=True,
            limits=httpx.Limits(max_connections=IN_FLIGHT + 1),
        )

    def __enter__(self) -> Http:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.client.close()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """GET ``url``: a 2xx read whole, or a 304; anything else raises FetchError."""
        timeouts = 0
        for attempt in range(1, self.settings.attempts + 1):
            if self.halt.is_set():
                raise Stopped()
            try:
                return self._once(url, headers or {})
            except _Retry as exc:
                timeouts += exc.timeout
                last = attempt == self.settings.attempts or timeouts > 1
                if last:
                    tries = f" (after {attempt} attempts)" if attempt > 1 else ""
                    raise FetchError(url, exc.reason + tries) from None
                wait = self.settings.backoff * 2 ** (attempt - 1)
                if exc.wait is not None:
                    wait = max(wait, min(exc.wait, MAX_RETRY_AFTER))
                if self.halt.wait(wait):
                    raise Stopped() from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        s = self.settings
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                status = r.status_code
                if status == 304:
                    return Response(str(r.url), status, r.headers, b"")
                if status == 429 or status >= 500:
                    raise _Retry(_status(r), wait=_retry_after(r.headers.get("retry-after")))
                if not 200 <= status < 300:
                    raise FetchError(url, _status(r), status=status)
                length = r.headers.get("content-length", "")
                if length.isdigit() and int(length) > s.max_bytes:
                    raise FetchError(
                        url,
                        f"response too large ({_size(int(length))}, limit "
                        f"{_size(s.max_bytes)}): not downloaded",
                    )
                body = bytearray()
                deadline = time.monotonic() + max(120.0, 4 * s.read)
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > s.max_bytes:
                        raise FetchError(
                            url, f"response too large: cut off at {_size(s.max_bytes)}"
                        )
                    if self.halt.is_set():
                        raise Stopped()
                    if time.monotonic() > deadline:
                        raise _Retry("the server is sending too slowly", timeout=True)
                return Response(str(r.url), status, r.headers, bytes(body))
        except httpx.ConnectTimeout:
            raise _Retry(f"timed out connecting (after {s.connect:g} s)", timeout=True) from None
        except httpx.TimeoutException:
            raise _Retry(f"timed out: no answer within {s.read:g} s", timeout=True) from None
        except httpx.UnsupportedProtocol:
            raise FetchError(url, "not an http:// or https:// URL") from None
        except httpx.ConnectError as exc:
            raise _Retry(_connect_reason(exc)) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise _Retry(f"the connection broke off ({_exc_text(exc)})") from None
        except httpx.DecodingError as exc:
            raise FetchError(url, f"could not decode the response ({_exc_text(exc)})") from None
        except httpx.TooManyRedirects:
            raise FetchError(url, "too many redirects") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, _exc_text(exc)) from None


def _status(r: httpx.Response) -> str:
    return f"HTTP {r.status_code} {clean_line(r.reason_phrase)}".rstrip()


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None


_DNS = re.compile(
    r"name or service not known|nodename nor servname|name resolution|getaddrinfo"
    r"|no address associated",
    re.IGNORECASE,
)


def _connect_reason(exc: httpx.ConnectError) -> str:
    text = _exc_text(exc)
    if _DNS.search(text):
        return "cannot resolve the host name (no network, or a DNS failure)"
    if "refused" in text.lower():
        return "connection refused"
    if "unreachable" in text.lower():
        return "network unreachable (no network?)"
    return f"cannot connect ({text})"


def _exc_text(exc: Exception) -> str:
    text = re.sub(r"\[Errno -?\d+\]\s*", "", clean_line(str(exc)))
    return text or type(exc).__name__


class Workers:
    """A few daemon threads that run requests, and a wait that watches the stop event.

    Daemon threads, not a ThreadPoolExecutor: a stopped fetch returns at once instead of
    waiting for the requests in flight (a server that hangs would hold it for the whole
    read timeout, and a ThreadPoolExecutor's threads even hold up the program's exit).
    An abandoned request ends on its own, and its result is dropped.
    """

    def __init__(self, http: Http, count: int, stop: threading.Event | None) -> None:
        self.http = http
        self.stop = stop
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]] | None]
        self._jobs = queue.SimpleQueue()
        self._pending: list[Future[Any]] = []
        self._count = count
        for n in range(count):
            name = f"importai-fetch-{n + 1}"
            threading.Thread(target=self._work, name=name, daemon=True).start()

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.http.halt.set()
        for future in self._pending:
            future.cancel()
        for _ in range(self._count):
            self._jobs.put(None)

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run ``fn(*args)`` in a worker."""
        future: Future[T] = Future()
        self._pending.append(future)
        self._jobs.put((future, lambda: fn(*args)))
        return future

    def result(self, future: Future[T]) -> T:
        """The job's result (or its exception); raise Stopped once the stop event is set."""
        while True:
            if self.stop is not None and self.stop.is_set():
                self.http.halt.set()
                raise Stopped()
            done, _ = wait_for([future], timeout=POLL)
            if done:
                return future.result()

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            future, call = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(call())
            except BaseException as exc:  # handed to the waiting thread, which decides
                future.set_exception(exc)
