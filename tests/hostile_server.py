"""Routes for tests/feed_server.py that misbehave: a trickle, a gzip bomb, a feed without end."""

from __future__ import annotations

import functools
import threading
import time
import zlib
from typing import BinaryIO

try:
    from tests.feed_server import Route
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from feed_server import Route  # type: ignore[no-redef]

RSS_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Big</title>\n'
)
ITEM = (
    b"<item><title>Shelling hits Kharkiv market</title><link>https://big.example/%d</link>"
    b"<description>Russian artillery shelled a market in Kharkiv on Tuesday, killing two"
    b" people, the governor said.</description></item>\n"
)


def trickle(byte_every: float = 0.2, limit: float = 120.0) -> Route:
    """A feed that sends one byte every `byte_every` seconds, for at most `limit` seconds."""

    def write(stream: BinaryIO, closing: threading.Event) -> None:
        end = time.monotonic() + limit
        for byte in RSS_HEAD * 1000:
            if closing.wait(byte_every) or time.monotonic() > end:
                return
            stream.write(bytes([byte]))
            stream.flush()

    return Route("", "application/rss+xml", writer=write)


def huge_feed(total_bytes: int = 200 * 2**20) -> Route:
    """A feed of `total_bytes` bytes, written as it goes, with no Content-Length."""

    def write(stream: BinaryIO, closing: threading.Event) -> None:
        stream.write(RSS_HEAD)
        sent, n = len(RSS_HEAD), 0
        batch = b"".join(ITEM % i for i in range(1000))
        while sent < total_bytes and not closing.is_set():
            stream.write(batch)
            sent += len(batch)
            n += 1
        stream.write(b"</channel></rss>\n")

    return Route("", "application/rss+xml", writer=write)


@functools.cache
def gzip_bomb(decompressed: int = 2**30) -> bytes:
    """About 1 MB of gzip that unpacks to `decompressed` bytes (1 GB) of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(2**20)
    parts = [packer.compress(zeros) for _ in range(decompressed // len(zeros))]
    return b"".join(parts) + packer.flush()


def bomb_route() -> Route:
    return Route("", "application/rss+xml", raw=gzip_bomb(), headers={"Content-Encoding": "gzip"})
