"""store.fetch against loopback servers: addresses refused, redirects checked hop by hop."""

from __future__ import annotations

import gzip
import time

import httpx
import pytest

from store.fetch import AddressPolicy, FetchError, FetchLimits, fetch

try:
    from tests.feed_server import RSS_FEED, FeedServer, Route
    from tests.hostile_server import bomb_route, huge_feed, trickle
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from feed_server import RSS_FEED, FeedServer, Route  # type: ignore[no-redef]
    from hostile_server import bomb_route, huge_feed, trickle  # type: ignore[no-redef]

PUBLIC_ONLY = AddressPolicy()
LOOPBACK = AddressPolicy(allowed_hosts=frozenset({"127.0.0.1"}))


@pytest.fixture
def client():
    with httpx.Client(trust_env=False) as client:
        yield client


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8080/admin",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_private_and_loopback_addresses_are_refused_by_default(url):
    with pytest.raises(FetchError, match="not a public address"):
        PUBLIC_ONLY.check(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://example.org/", "ftp://x/"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchError, match="only http and https"):
        PUBLIC_ONLY.check(url)


def test_public_addresses_pass_without_a_connection():
    PUBLIC_ONLY.check("http://93.184.216.34/feed")
    PUBLIC_ONLY.check("https://[2606:2800:220:1:248:1893:25c8:1946]/")


def test_the_operator_may_allow_a_host_or_every_private_address():
    LOOPBACK.check("http://127.0.0.1:8000/rss")
    AddressPolicy(allow_private=True).check("http://10.1.2.3/")
    with pytest.raises(FetchError):
        LOOPBACK.check("http://localhost:8000/rss")  # the same machine, under another name


def test_a_server_on_loopback_is_not_contacted(client):
    with FeedServer({"/rss": Route(RSS_FEED)}) as server:
        with pytest.raises(FetchError, match="not a public address"):
            fetch(client, server.url("/rss"), {}, FetchLimits(), PUBLIC_ONLY)
        assert [] == server.requests


def test_a_redirect_to_a_private_address_is_refused(client):
    with FeedServer() as server:
        target = server.url("/secret").replace("127.0.0.1", "localhost")
        server.routes["/rss"] = Route("", status=302, headers={"Location": target})
        server.routes["/secret"] = Route("the metadata service")
        with pytest.raises(FetchError, match="localhost is 127.0.0.1, not a public address"):
            fetch(client, server.url("/rss"), {}, FetchLimits(), LOOPBACK)
        assert ["/rss"] == [r.path for r in server.requests]


def test_allowed_redirects_are_followed_up_to_the_limit(client):
    with FeedServer() as server:
        server.routes["/a"] = Route("", status=301, headers={"Location": "/b"})
        server.routes["/b"] = Route("", status=307, headers={"Location": server.url("/rss")})
        server.routes["/rss"] = Route(RSS_FEED)
        answer = fetch(client, server.url("/a"), {}, FetchLimits(), LOOPBACK)
        assert (200, server.url("/rss")) == (answer.status, answer.url)
        assert RSS_FEED.encode() == answer.content
        server.routes["/loop"] = Route("", status=302, headers={"Location": "/loop"})
        with pytest.raises(FetchError, match="more than 2 redirects"):
            fetch(client, server.url("/loop"), {}, FetchLimits(max_redirects=2), LOOPBACK)


# --- deadlines and caps ------------------------------------------------------------------------


def test_a_trickling_server_is_cut_at_the_total_deadline(client):
    with FeedServer({"/rss": trickle(byte_every=0.05)}) as server:
        started = time.monotonic()
        with pytest.raises(FetchError, match="deadline"):
            fetch(client, server.url("/rss"), {}, FetchLimits(total=1.0), LOOPBACK)
        assert time.monotonic() - started < 5


def test_a_gzip_bomb_is_cut_at_the_decompressed_cap(client):
    with FeedServer({"/rss": bomb_route()}) as server:
        limits = FetchLimits(max_decoded=5 * 2**20)
        with pytest.raises(FetchError, match="once decompressed"):
            fetch(client, server.url("/rss"), {}, limits, LOOPBACK)


def test_a_huge_feed_is_cut_at_the_received_cap(client):
    server = FeedServer({"/rss": huge_feed(50 * 2**20)})
    with server, pytest.raises(FetchError, match="byte cap"):
        fetch(client, server.url("/rss"), {}, FetchLimits(max_bytes=2**20), LOOPBACK)


def test_a_declared_length_over_the_cap_is_refused_before_reading(client):
    server = FeedServer({"/rss": Route("x" * 5000)})
    with server, pytest.raises(FetchError, match="5000 bytes, over the 1000 byte cap"):
        fetch(client, server.url("/rss"), {}, FetchLimits(max_bytes=1000), LOOPBACK)


def test_gzip_within_the_caps_is_decompressed(client):
    body = gzip.compress(RSS_FEED.encode())
    route = Route("", raw=body, headers={"Content-Encoding": "gzip"})
    with FeedServer({"/rss": route}) as server:
        answer = fetch(client, server.url("/rss"), {}, FetchLimits(), LOOPBACK)
    assert RSS_FEED.encode() == answer.content
