"""HTTP for `sitrep watch`: public addresses only, and every source within deadlines and caps.

A feed or page server is outside our control: it may trickle a byte a second, answer a small
gzip bomb, a 200 MB feed, or redirect to 127.0.0.1 or the cloud's metadata address. `fetch`
bounds each of those: connect and read timeouts, a total deadline checked between reads, a cap
on the bytes received and another on the bytes after decompression (decompressed here, a bounded
step at a time, never by httpx all at once), and an address check before every hop of a redirect.

Not covered: a server that trickles its *headers* is bounded by the read timeout per byte only,
and a host name whose address changes between our check and httpx's own lookup (DNS rebinding)
is not pinned.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx


class FetchError(Exception):
    """A source refused, too slow or too big; the message says which, for the operator."""


@dataclass(frozen=True)
class FetchLimits:
    """Per-request bounds; `total` is also the budget of a whole source (a feed and its pages)."""

    connect: float = 10.0
    read: float = 20.0
    total: float = 60.0
    max_bytes: int = 10 * 2**20  # as received (compressed)
    max_decoded: int = 20 * 2**20  # after gzip or deflate
    max_redirects: int = 5


@dataclass(frozen=True)
class AddressPolicy:
    """Which hosts may be fetched: public addresses, plus what the operator allows."""

    allow_private: bool = False
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)

    def check(self, url: str) -> None:
        """Raise FetchError unless `url` is http(s) to a public address (or an allowed host)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"refused {url!r}: only http and https are fetched")
        host = (parts.hostname or "").lower()
        if not host:
            raise FetchError(f"refused {url!r}: no host")
        if self.allow_private or host in self.allowed_hosts:
            return
        for address in _addresses(host, parts.port or (443 if parts.scheme == "https" else 80)):
            if not _is_public(address):
                raise FetchError(
                    f"refused {url!r}: {host} is {address}, not a public address"
                    " (sitrep watch --allow-host or --allow-private lets it through)"
                )

    def check_link(self, url: str) -> None:
        """Raise FetchError for a link we would index without fetching it (a feed entry's)
        unless it is http(s) and names no private address itself; no DNS lookup."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"refused {url!r}: only http and https links are kept")
        host = (parts.hostname or "").lower()
        if self.allow_private or host in self.allowed_hosts:
            return
        if host == "localhost" or host.endswith(".localhost"):
            raise FetchError(f"refused {url!r}: {host} is not a public address")
        try:
            literal = str(ipaddress.ip_address(host))
        except ValueError:
            return
        if not _is_public(literal):
            raise FetchError(f"refused {url!r}: {host} is not a public address")


def _addresses(host: str, port: int) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from exc
    return sorted({str(info[4][0]) for info in infos})


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclass
class Fetched:
    """A complete, bounded answer."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def charset(self) -> str | None:
        """The charset the server named in Content-Type, if any."""
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                return value.strip('"').strip()
        return None

    def text(self) -> str:
        try:
            return self.content.decode(self.charset or "utf-8", errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


def fetch(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    limits: FetchLimits,
    policy: AddressPolicy,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Fetched:
    """GET `url` following at most `limits.max_redirects` redirects, each hop checked.

    `deadline` (on `clock`) is the source's own, when it is shorter than `limits.total`."""
    deadline = min(clock() + limits.total, deadline if deadline is not None else float("inf"))
    timeout = httpx.Timeout(limits.read, connect=limits.connect)
    request_headers = {**headers, "Accept-Encoding": "gzip, deflate"}
    for _ in range(limits.max_redirects + 1):
        policy.check(url)
        if clock() > deadline:
            raise FetchError(f"{url}: over the {limits.total:g} s deadline")
        try:
            with client.stream(
                "GET", url, headers=request_headers, follow_redirects=False, timeout=timeout
            ) as response:
                if response.is_redirect and "location" in response.headers:
                    url = str(response.url.join(response.headers["location"]))
                    continue
                content = _read(response, limits, deadline, clock)
                return Fetched(str(response.url), response.status_code, response.headers, content)
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}") from exc
    raise FetchError(f"{url}: more than {limits.max_redirects} redirects")


def _read(
    response: httpx.Response, limits: FetchLimits, deadline: float, clock: Callable[[], float]
) -> bytes:
    """The body, decompressed a bounded step at a time, within the caps and the deadline."""
    coding = response.headers.get("content-encoding", "identity").strip().lower()
    if coding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(wbits=47)  # gzip or zlib header, detected
    elif coding == "deflate":
        decoder = zlib.decompressobj()
    elif coding in ("", "identity"):
        decoder = None
    else:
        raise FetchError(f"unsupported Content-Encoding {coding!r}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(f"{declared} bytes, over the {limits.max_bytes} byte cap")
    received = 0
    body = bytearray()
    # No chunk size: httpx would buffer up to it, and the deadline would wait for the buffer.
    for chunk in response.iter_raw():
        if clock() > deadline:
            raise FetchError(f"over the {limits.total:g} s deadline ({received} bytes received)")
        received += len(chunk)
        if received > limits.max_bytes:
            raise FetchError(f"over the {limits.max_bytes} byte cap")
        if decoder is None:
            body += chunk
        else:
            try:
                body += decoder.decompress(chunk, limits.max_decoded - len(body) + 1)
            except zlib.error as exc:
                raise FetchError(f"bad {coding} data: {exc}") from exc
        if len(body) > limits.max_decoded:
            raise FetchError(f"over the {limits.max_decoded} byte cap once decompressed")
    if decoder is not None:
        body += decoder.flush()
        if len(body) > limits.max_decoded:
            raise FetchError(f"over the {limits.max_decoded} byte cap once decompressed")
    return bytes(body)
