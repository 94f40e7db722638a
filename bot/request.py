"""The bot's HTTP client for the Bot API: PTB's request contract on aiohttp.

With PTB's own HTTPXRequest most of a pushed message's CPU went to httpx and httpcore (request
building, the pool's checks, h11): 0.95-1.26 ms of the bot's CPU a message, 0.32-0.51 ms with
this client (bench/fanout_bench.py, --client httpx for the other). It sends the same bytes (form
fields, or multipart when a picture goes with them) and raises what HTTPXRequest raises:
TimedOut for a timeout, NetworkError for any other failure.
"""

from __future__ import annotations

import asyncio
from base64 import b64encode
from urllib.parse import unquote, urlencode, urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_POOL_TIMEOUT = (
    "Pool timeout: All connections in the connection pool are occupied. Request was *not* sent"
    " to Telegram. Consider adjusting the connection pool size or the pool timeout."
)
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _deadline(*timeouts: float | None) -> float | None:
    """The time a whole request may take: aiohttp has no write timeout, so a write that stalls
    is cut off by this sum of the phases' timeouts (None when one of them is unbounded)."""
    if any(timeout is None for timeout in timeouts):
        return None
    return sum(timeout for timeout in timeouts if timeout is not None)


def env_proxy(url: str) -> tuple[str | None, dict[str, str] | None]:
    """The proxy the environment names for `url` (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, less
    NO_PROXY), as httpx would use it, and its credentials as a header apart; (None, None) to
    go direct."""
    parts = urlsplit(url)
    if parts.hostname is None or proxy_bypass(parts.hostname):
        return None, None
    proxies = getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy:
        return None, None
    proxy_parts = urlsplit(proxy)
    if proxy_parts.username is None:
        return proxy, None
    credentials = f"{unquote(proxy_parts.username)}:{unquote(proxy_parts.password or '')}"
    header = {"Proxy-Authorization": "Basic " + b64encode(credentials.encode()).decode()}
    return proxy_parts._replace(netloc=proxy_parts.netloc.rpartition("@")[2]).geturl(), header


class AiohttpRequest(BaseRequest):
    """A BaseRequest on one aiohttp session: at most `connection_pool_size` requests at once
    (a request that waits longer than the pool timeout for one is never sent), the read and
    connect timeouts per socket operation as in httpx, writes bounded by the whole request's
    deadline. Files (sendPhoto's PNGs) go as multipart/form-data with the other fields."""

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self.connection_pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        # The proxy of each origin (scheme://host:port), looked up once: aiohttp's own lookup
        # (trust_env) reads the environment and ~/.netrc in a thread on every request, which
        # cost two thread hand-offs a message.
        self._proxies: dict[str, tuple[str | None, dict[str, str] | None]] = {}
        # The pool is counted here rather than by the connector's limit so that waiting for a
        # slot raises the pool timeout's own TimedOut, apart from a slow connect. Made anew with
        # each session: a semaphore belongs to the event loop it first waited in.
        self._slots = asyncio.Semaphore(connection_pool_size)

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (aiohttp wants a running event loop for it)."""
        if self._session is None or self._session.closed:
            self._slots = asyncio.Semaphore(self.connection_pool_size)
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.connection_pool_size),
                headers={"User-Agent": self.USER_AGENT},
                cookie_jar=aiohttp.DummyCookieJar(),  # Telegram sets no cookies
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """The status code and body of Telegram's answer."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.contains_files if request_data else False
        read = _given(read_timeout, self._read_timeout)
        connect = _given(connect_timeout, self._connect_timeout)
        write = _given(write_timeout, self._media_write_timeout if files else self._write_timeout)
        timeout = aiohttp.ClientTimeout(
            total=_deadline(connect, write, read), sock_connect=connect, sock_read=read
        )
        proxy, proxy_headers = self._proxy(url)
        await self._take_slot(_given(pool_timeout, self._pool_timeout))
        try:
            data, headers = _body(request_data)
            async with session.request(
                method,
                url,
                data=data,
                headers=headers,
                timeout=timeout,
                proxy=proxy,
                proxy_headers=proxy_headers,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
        finally:
            self._slots.release()

    def _proxy(self, url: str) -> tuple[str | None, dict[str, str] | None]:
        origin = url[: url.find("/", url.find("//") + 2)]
        found = self._proxies.get(origin)
        if found is None:
            found = self._proxies[origin] = env_proxy(url)
        return found

    async def _take_slot(self, pool_timeout: float | None) -> None:
        if not self._slots.locked():
            await self._slots.acquire()  # free: returns at once, no timer to set up
            return
        try:
            async with asyncio.timeout(pool_timeout):
                await self._slots.acquire()
        except TimeoutError as exc:
            raise TimedOut(_POOL_TIMEOUT) from exc


def _body(
    request_data: RequestData | None,
) -> tuple[bytes | aiohttp.FormData | None, dict[str, str] | None]:
    """The request's body as HTTPXRequest sends it: url-encoded fields, or every field and file
    as multipart/form-data when there are files."""
    if request_data is None:
        return None, None
    fields = request_data.json_parameters
    if not request_data.contains_files:
        return (urlencode(fields).encode(), _FORM) if fields else (None, None)
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, content_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=content_type)
    return form, None
