"""A tiny HTTP server on 127.0.0.1 for the watch tests: feeds, pages, failures, 304s.

with FeedServer({"/rss": Route(RSS_FEED, "application/rss+xml", etag='"v1"')}) as server:
    httpx.get(server.url("/rss"))
    server.requests  # [Request(path="/rss", headers={...})]
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import BinaryIO


@dataclass
class Route:
    body: str
    content_type: str = "text/html; charset=utf-8"
    etag: str = ""
    last_modified: str = ""
    # Answer 500 this many times before serving the body.
    fail_times: int = 0
    status: int = 200
    # Extra response headers (Location, Content-Encoding, ...).
    headers: dict[str, str] = field(default_factory=dict)
    # Bytes served as they are (a gzip body, say) instead of `body`.
    raw: bytes | None = None
    # Writes the body itself, without a Content-Length (a trickle, a huge feed); it gets the
    # stream and an event set when the server shuts down.
    writer: Callable[[BinaryIO, threading.Event], None] | None = None


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str] = field(default_factory=dict)


class FeedServer:
    """Serves `routes` (path → Route) from a thread; unknown paths get 404."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self.closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for a request, under the lock: fail counts are shared."""
        with self._lock:
            self.requests.append(Request(path, headers))
            route = self.routes.get(path)
            if route is None:
                return 404, {}, b"not found"
            if route.fail_times > 0:
                route.fail_times -= 1
                return 500, {}, b"internal error"
            out = {"Content-Type": route.content_type}
            if route.etag:
                out["ETag"] = route.etag
            if route.last_modified:
                out["Last-Modified"] = route.last_modified
            if route.etag and headers.get("if-none-match") == route.etag:
                return 304, out, b""
            out.update(route.headers)
            return route.status, out, route.raw if route.raw is not None else route.body.encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, out, body = server._answer(self.path, headers)
                self.send_response(status)
                for name, value in out.items():
                    self.send_header(name, value)
                route = server.routes.get(self.path)
                if route is not None and route.writer is not None and status == 200:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    with contextlib.suppress(OSError):  # the client hung up: it gave up on us
                        route.writer(self.wfile, server.closing)
                    return
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep pytest output clean

        return Handler


def closed_port_url(path: str = "/") -> str:
    """A 127.0.0.1 URL nobody listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


RSS_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Kyiv Wire</title>
    <link>https://kyivwire.example/</link>
    <description>News from Ukraine</description>
    <item>
      <title>Shelling hits Kharkiv market</title>
      <link>https://kyivwire.example/news/kharkiv-market</link>
      <pubDate>Tue, 14 Nov 2023 09:00:00 GMT</pubDate>
      <description>&lt;p&gt;Russian artillery shelled a market in Kharkiv on Tuesday,
        killing two people and injuring seven, regional governor Oleh Syniehubov
        said.&lt;/p&gt;</description>
    </item>
    <item>
      <title>Drone attack on Zaporizhzhia</title>
      <link>https://kyivwire.example/news/zaporizhzhia-drones</link>
      <pubDate>Tue, 14 Nov 2023 11:30:00 GMT</pubDate>
      <description>&lt;p&gt;Russian drones struck an industrial facility in Zaporizhzhia
        on Tuesday, injuring three workers, the regional administration said.&lt;/p&gt;
      </description>
    </item>
  </channel>
</rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Dnipro Daily</title>
  <id>urn:uuid:2f1d0a36-7a9e-4bf8-9a55-1c3c1b0e8e10</id>
  <updated>2023-11-15T08:00:00Z</updated>
  <entry>
    <title>Missile strike on Dnipro</title>
    <link href="https://dniprodaily.example/2023/11/15/missile-strike"/>
    <id>urn:uuid:8c6a43c0-4f2b-4d5e-9e3a-5b1d6c0f4a21</id>
    <updated>2023-11-15T08:00:00Z</updated>
    <summary type="html">&lt;p&gt;A Russian missile hit an apartment block in Dnipro
      on Wednesday, killing four people, the city's mayor Borys Filatov said.&lt;/p&gt;</summary>
  </entry>
</feed>
"""

ARTICLE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Missile strike on Odesa apartment block kills five | Black Sea Herald</title>
  <meta property="og:site_name" content="Black Sea Herald">
  <meta property="og:title" content="Missile strike on Odesa apartment block kills five">
  <meta property="article:published_time" content="2023-11-20T10:15:00+02:00">
  <meta name="date" content="2023-11-20">
</head>
<body>
  <header><nav><a href="/">Home</a> <a href="/ukraine">Ukraine</a> <a href="/world">World</a>
  </nav></header>
  <main>
    <article>
      <h1>Missile strike on Odesa apartment block kills five</h1>
      <p class="byline">By Staff Reporter, 20 November 2023</p>
      <p>Russian missiles struck a residential building in Odesa on Monday, killing at least
      5 people, regional governor Maksym Marchenko said.</p>
      <p>Rescue teams worked through the morning to clear the rubble of the five-storey block
      in the city's Kyivskyi district, and dozens of residents were moved to temporary
      shelters while engineers assessed the damage to neighbouring homes.</p>
      <p>Ukraine's air force said its air defences had intercepted most of the missiles
      launched overnight over the southern region, but several got through to the city.</p>
    </article>
  </main>
  <footer><p>&copy; 2023 Black Sea Herald. All rights reserved.</p></footer>
</body>
</html>
"""
