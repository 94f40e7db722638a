"""An in-process fake of the Telegram Bot API for tests.

The fake speaks real HTTP on 127.0.0.1 so python-telegram-bot (PTB) runs its
genuine request/response code paths against it::

    with BotApiFake() as fake:
        app = (
            Application.builder().token(fake.token).base_url(fake.base_url).build()
        )
        ...
        fake.user_message("/start")
        payload = fake.wait_for("sendMessage")

The fake validates what the bot sends the way Telegram does (HTML subset,
message length, button data, ...) and records every rejection in
``fake.rejections`` so that tests can assert the bot never produced anything
Telegram would refuse.

``wait_for*`` block the calling thread. From inside an ``async`` test that runs
the bot on the same event loop use the ``*_async`` variants, otherwise the
bot cannot make progress while the test waits.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import email.parser
import email.policy
import itertools
import json
import math
import re
import socket
import socketserver
import threading
import time
import traceback
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = [
    "DEFAULT_TOKEN",
    "MAX_MESSAGE_LENGTH",
    "BotApiFake",
    "Call",
    "Failure",
    "Rejection",
    "TelegramHTMLError",
    "parse_telegram_html",
    "parse_telegram_html_entities",
    "png_size",
    "utf16_len",
]

DEFAULT_TOKEN = "777:AAFakeTokenForSitrepTests_0123456789ab"
MAX_MESSAGE_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
DEFAULT_USER_ID = 1001
MAX_CAPTION_LENGTH = 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDES = 10_000  # width + height

JSONDict = dict[str, Any]

# --------------------------------------------------------------------------
# Telegram HTML subset
# --------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class TelegramHTMLError(ValueError):
    """Text that Telegram would refuse with "can't parse entities"."""


_TAG_ENTITY_TYPE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "tg-emoji": "custom_emoji",
}
# Digit limits keep int() away from absurd inputs; longer references are
# out of Unicode range anyway and are reported as invalid.
_ENTITY_RE = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|amp|quot));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_WHITESPACE = frozenset(" \t\n\r\f\v")
_ALLOWED_TAGS = frozenset(_TAG_ENTITY_TYPE)
_NAME_TOKEN_RE = re.compile(r"[A-Za-z0-9.\-]*")


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's header chunk, None for anything that is not a PNG."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (astral chars count 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, index: int) -> int:
    # Telegram reports positions as UTF-8 byte offsets into the sent text.
    return len(text[:index].encode("utf-8", "surrogatepass"))


def _decode_entity(text: str, index: int) -> tuple[str, int]:
    match = _ENTITY_RE.match(text, index)
    if match is None:
        # Real Telegram silently keeps a stray "&", but its documentation
        # requires escaping; being stricter catches missing html.escape()
        # calls, which would otherwise garble text such as "&lt;" from users.
        raise TelegramHTMLError(
            f'Unescaped "&" or unsupported HTML entity at byte offset {_byte_offset(text, index)}'
        )
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        return _NAMED_ENTITIES[name], match.end()
    codepoint = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if codepoint == 0 or codepoint >= 0x110000 or 0xD800 <= codepoint <= 0xDFFF:
        raise TelegramHTMLError(
            f"Invalid numeric character reference at byte offset {_byte_offset(text, index)}"
        )
    return chr(codepoint), match.end()


def _decode_range(text: str, start: int, end: int) -> str:
    parts: list[str] = []
    index = start
    while index < end:
        amp = text.find("&", index, end)
        if amp < 0:
            parts.append(text[index:end])
            break
        parts.append(text[index:amp])
        char, index = _decode_entity(text, amp)
        parts.append(char)
    return "".join(parts)


class _OpenTag:
    __slots__ = ("name", "start", "begin", "attrs", "language", "code_entity")

    def __init__(self, name: str, start: int, begin: int, attrs: dict[str, str | None]):
        self.name = name
        self.start = start  # UTF-16 offset into the visible text
        self.begin = begin  # index into the source, for error messages
        self.attrs = attrs
        self.language: str | None = None
        self.code_entity: JSONDict | None = None


def _parse_attributes(
    text: str, index: int, tag: str, begin: int
) -> tuple[dict[str, str | None], int]:
    attrs: dict[str, str | None] = {}
    size = len(text)
    unclosed = TelegramHTMLError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
    while True:
        while index < size and text[index] in _WHITESPACE:
            index += 1
        if index >= size:
            raise unclosed
        if text[index] == ">":
            return attrs, index + 1
        name_end = index
        while name_end < size and text[name_end] not in _WHITESPACE and text[name_end] not in "=>":
            name_end += 1
        name = text[index:name_end].lower()
        if not name:
            raise TelegramHTMLError(
                f'Empty attribute name in the tag "{tag}" at byte offset '
                f"{_byte_offset(text, index)}"
            )
        index = name_end
        while index < size and text[index] in _WHITESPACE:
            index += 1
        if index >= size:
            raise unclosed
        if text[index] != "=":
            # Boolean attribute, e.g. <blockquote expandable>.
            attrs[name] = None
            continue
        index += 1
        while index < size and text[index] in _WHITESPACE:
            index += 1
        if index >= size:
            raise unclosed
        quote = text[index]
        if quote in "'\"":
            close = text.find(quote, index + 1)
            if close < 0:
                raise unclosed
            attrs[name] = _decode_range(text, index + 1, close)
            index = close + 1
        else:
            token = _NAME_TOKEN_RE.match(text, index)
            assert token is not None  # the pattern matches the empty string
            attrs[name] = token.group(0).lower()
            index = token.end()
            if index >= size:
                raise unclosed
            if text[index] not in _WHITESPACE and text[index] != ">":
                raise TelegramHTMLError(
                    f"Unexpected end of name token at byte offset {_byte_offset(text, index)}"
                )


def _check_start_tag(text: str, tag: _OpenTag) -> None:
    where = f"at byte offset {_byte_offset(text, tag.begin)}"
    if tag.name == "a" and not tag.attrs.get("href"):
        # Telegram drops a link without href silently; the bot almost
        # certainly meant something else, so the fake refuses it.
        raise TelegramHTMLError(f'Tag "a" must have a non-empty "href" attribute {where}')
    if tag.name == "span" and tag.attrs.get("class") != "tg-spoiler":
        raise TelegramHTMLError(f'Tag "span" must have class "tg-spoiler" {where}')
    if tag.name == "tg-emoji" and not (tag.attrs.get("emoji-id") or "").isdigit():
        raise TelegramHTMLError(f'Tag "tg-emoji" must have a numeric "emoji-id" attribute {where}')


def _close_tag(tag: _OpenTag, end: int, stack: list[_OpenTag], entities: list[JSONDict]) -> None:
    length = end - tag.start
    entity_type = _TAG_ENTITY_TYPE[tag.name]
    if tag.name == "blockquote" and "expandable" in tag.attrs:
        entity_type = "expandable_blockquote"
    entity: JSONDict = {"type": entity_type, "offset": tag.start, "length": length}
    if tag.name == "a":
        entity["url"] = tag.attrs["href"]
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    elif tag.name == "code":
        css_class = tag.attrs.get("class") or ""
        if stack and stack[-1].name == "pre" and css_class.startswith("language-"):
            stack[-1].language = css_class[len("language-") :]
            stack[-1].code_entity = entity
    elif tag.name == "pre" and tag.language:
        entity["language"] = tag.language
        # <pre><code class="language-x"> is one pre entity, not two.
        entities[:] = [e for e in entities if e is not tag.code_entity]
    if length > 0:
        entities.append(entity)


def parse_telegram_html_entities(text: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram-flavoured HTML into (visible text, MessageEntity dicts).

    Entity offsets and lengths are in UTF-16 code units, as in the Bot API.
    Raises TelegramHTMLError with a Telegram-like description.
    """
    out: list[str] = []
    u16 = 0
    stack: list[_OpenTag] = []
    entities: list[JSONDict] = []
    index = 0
    size = len(text)
    while index < size:
        char = text[index]
        if char == "&":
            decoded, index = _decode_entity(text, index)
            out.append(decoded)
            u16 += utf16_len(decoded)
            continue
        if char != "<":
            stop = index + 1
            while stop < size and text[stop] not in "<&":
                stop += 1
            chunk = text[index:stop]
            out.append(chunk)
            u16 += utf16_len(chunk)
            index = stop
            continue
        begin = index
        if text.startswith("</", index):
            close = text.find(">", index)
            if close < 0:
                raise TelegramHTMLError(
                    f"Unclosed end tag at byte offset {_byte_offset(text, begin)}"
                )
            name = text[index + 2 : close].rstrip("".join(_WHITESPACE)).lower()
            if any(c in _WHITESPACE for c in name):
                raise TelegramHTMLError(
                    f"Unclosed end tag at byte offset {_byte_offset(text, begin)}"
                )
            if not stack:
                raise TelegramHTMLError(
                    f"Unexpected end tag at byte offset {_byte_offset(text, begin)}"
                )
            top = stack.pop()
            if name and name != top.name:
                raise TelegramHTMLError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                    f'expected "</{top.name}>", found "</{name}>"'
                )
            _close_tag(top, u16, stack, entities)
            index = close + 1
            continue
        name_end = index + 1
        while name_end < size and text[name_end] not in _WHITESPACE and text[name_end] != ">":
            name_end += 1
        if name_end >= size:
            raise TelegramHTMLError(
                f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
            )
        name = text[index + 1 : name_end].lower()
        if name not in _ALLOWED_TAGS:
            raise TelegramHTMLError(
                f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, begin)}'
            )
        attrs, index = _parse_attributes(text, name_end, name, begin)
        tag = _OpenTag(name, u16, begin, attrs)
        _check_start_tag(text, tag)
        stack.append(tag)
    if stack:
        raise TelegramHTMLError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def parse_telegram_html(text: str) -> str:
    """Return the visible text of Telegram HTML; raise TelegramHTMLError if invalid."""
    return parse_telegram_html_entities(text)[0]


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


class Call(NamedTuple):
    """One Bot API request, in the order the fake finished answering them."""

    method: str
    payload: JSONDict


class Rejection(NamedTuple):
    """A request Telegram would refuse because of what the bot sent."""

    method: str
    description: str
    payload: JSONDict


class Failure(NamedTuple):
    """Any non-ok answer: rejections, injected errors, limits, kicked chats."""

    method: str
    error_code: int
    description: str
    payload: JSONDict


class _ApiError(Exception):
    def __init__(
        self,
        code: int,
        description: str,
        parameters: JSONDict | None = None,
        *,
        rejection: bool = False,
    ):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters
        self.rejection = rejection


def _reject(description: str, code: int = 400) -> _ApiError:
    return _ApiError(code, description, rejection=True)


class _Rule:
    __slots__ = ("method", "remaining", "chat_id", "value")

    def __init__(self, method: str, remaining: int | None, chat_id: int | None, value: Any):
        self.method = method
        self.remaining = remaining
        self.chat_id = chat_id
        self.value = value


# --------------------------------------------------------------------------
# Request decoding
# --------------------------------------------------------------------------

# PTB sends every non-string parameter JSON-encoded inside form data, while
# strings are sent raw; these must stay strings even when they look like JSON
# (a user may well send the text "123" or "true").
_STRING_FIELDS = _words(
    "text caption parse_mode callback_query_id inline_query_id inline_message_id url "
    "secret_token next_offset language_code query description short_description name "
    "title emoji switch_pm_text switch_pm_parameter message_effect_id "
    "business_connection_id ip_address custom_title first_name last_name phone_number "
    "address question explanation action"
)
_INT_FIELDS = _words(
    "chat_id user_id message_id from_chat_id message_thread_id offset limit timeout "
    "cache_time reply_to_message_id until_date"
)
_JSON_FIELDS = _words(
    "reply_markup entities caption_entities commands scope results allowed_updates "
    "reply_parameters link_preview_options button media"
)
_INT_RE = re.compile(r"-?[0-9]+")


def _normalise(raw: JSONDict, *, from_form: bool) -> JSONDict:
    payload: JSONDict = {}
    for key, value in raw.items():
        if isinstance(value, str) and key not in _STRING_FIELDS:
            if key in _INT_FIELDS and _INT_RE.fullmatch(value):
                value = int(value)
            elif from_form or key in _JSON_FIELDS:
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
        payload[key] = value
    return payload


def _parse_multipart(content_type: str, body: bytes) -> JSONDict:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ValueError("malformed multipart body")
    fields: JSONDict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is None:
            fields[str(name)] = data.decode("utf-8")
        else:
            fields[str(name)] = {
                "filename": filename,
                "content_type": part.get_content_type(),
                "data": data,
            }
    return fields


def _decode_request(content_type: str, body: bytes, query: str) -> JSONDict:
    raw: JSONDict = dict(parse_qsl(query, keep_blank_values=True))
    payload = _normalise(raw, from_form=True)
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return payload
    if media_type == "application/json":
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise ValueError("JSON body must be an object")
        payload.update(_normalise(decoded, from_form=False))
    elif media_type == "multipart/form-data":
        payload.update(_normalise(_parse_multipart(content_type, body), from_form=True))
    else:
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
        payload.update(_normalise(form, from_form=True))
    return payload


def _copy(value: Any) -> Any:
    # Stored messages keep changing (edits); anything handed out must be a
    # snapshot so later edits do not rewrite history seen by tests or the bot.
    return json.loads(json.dumps(value))


# --------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog is 5: a bot opening dozens of connections at once (PTB's
    # pool, concurrent updates) would see some dropped and fail with httpx.ReadError.
    request_queue_size = 128
    fake: BotApiFake

    def server_bind(self) -> None:
        # HTTPServer.server_bind() does a reverse DNS lookup (getfqdn), which
        # can stall for seconds in sandboxes; the name is never used.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects
    # Headers and body are separate writes; with Nagle plus delayed ACKs every
    # answer would stall ~40ms, which distorts any benchmark run against us.
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.fake._track_connection(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._track_connection(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # keep pytest output clean; calls are recorded in fake.calls

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        body = self._read_body()
        status, answer = self.server.fake._dispatch(
            self.path, self.headers.get("Content-Type", ""), body
        )
        raw = isinstance(answer, bytes)  # a file download, not an API answer
        data = answer if raw else json.dumps(answer).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header(
                "Content-Type", "application/octet-stream" if raw else "application/json"
            )
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            # The client gave up (e.g. PTB cancelled a long poll on shutdown).
            self.close_connection = True

    do_POST = _handle
    do_GET = _handle


# --------------------------------------------------------------------------
# The fake
# --------------------------------------------------------------------------

_CHAT_MEMBER_STATUSES = frozenset(
    {"creator", "administrator", "member", "restricted", "left", "kicked"}
)
# What Telegram delivers when the bot never chose allowed_updates.
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply "
    "markup are exactly the same as a specified content and reply markup of the message"
)
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,64})?")
_BOT_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")


def _default_error_description(code: int, payload: JSONDict, retry_after: int | None) -> str:
    if code == 429:
        return f"Too Many Requests: retry after {retry_after}"
    if code == 403:
        chat_id = payload.get("chat_id")
        if isinstance(chat_id, int) and chat_id < 0:
            return "Forbidden: bot was kicked from the group chat"
        return "Forbidden: bot was blocked by the user"
    if code == 409:
        return (
            "Conflict: terminated by other getUpdates request; "
            "make sure that only one bot instance is running"
        )
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = "Error"
    return phrase


def _chat_type_for(chat_id: int) -> str:
    if chat_id > 0:
        return "private"
    # Supergroups and channels live below -10**12 ("-100..." ids).
    return "supergroup" if chat_id <= -(10**12) else "group"


def _member(user: JSONDict, status: str) -> JSONDict:
    """A ChatMember dict with every field PTB requires for that status."""
    member: JSONDict = {"user": user, "status": status}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(
            can_be_edited=False,
            is_anonymous=False,
            can_manage_chat=True,
            can_delete_messages=True,
            can_manage_video_chats=True,
            can_restrict_members=True,
            can_promote_members=False,
            can_change_info=True,
            can_invite_users=True,
            can_post_stories=False,
            can_edit_stories=False,
            can_delete_stories=False,
            can_pin_messages=True,
            can_manage_topics=False,
        )
    elif status == "restricted":
        member.update(
            is_member=True,
            until_date=0,
            can_change_info=False,
            can_invite_users=False,
            can_pin_messages=False,
            can_send_messages=False,
            can_send_polls=False,
            can_send_other_messages=False,
            can_add_web_page_previews=False,
            can_manage_topics=False,
            can_send_audios=False,
            can_send_documents=False,
            can_send_photos=False,
            can_send_videos=False,
            can_send_video_notes=False,
            can_send_voice_notes=False,
            can_edit_tag=False,
            can_react_to_messages=False,
        )
    elif status == "kicked":
        member["until_date"] = 0
    return member


def _update_kind(update: JSONDict) -> str:
    return next((key for key in update if key != "update_id"), "")


class BotApiFake:
    """Fake Telegram Bot API server; see the module docstring for usage."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "sitrep_test_bot",
        bot_id: int = 777,
        bot_first_name: str = "Sitrep",
        strict_token: bool = False,
        enforce_limits: bool = False,
        clock: Callable[[], float] = time.monotonic,
        max_poll_timeout: float = 1.0,
    ) -> None:
        self.token = token
        self.strict_token = strict_token
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.enforce_limits = enforce_limits
        self.clock = clock
        self.max_poll_timeout = max_poll_timeout

        # Public records (live lists; compare with == [] in tests).
        self.calls: list[Call] = []
        self.rejections: list[Rejection] = []
        self.failures: list[Failure] = []
        self.errors: list[str] = []
        self.tokens: list[str] = []
        self.too_many_requests = 0

        self._cond = threading.Condition()
        self._closing = threading.Event()
        self._closed = False
        self._results: list[Any] = []  # parallel to calls; None when not ok
        self._consumed: set[int] = set()
        self._updates: list[JSONDict] = []
        self._update_ids = itertools.count(100)
        self._update_meta: dict[int, tuple[str, int | None, str | None, int]] = {}
        self._allowed_updates: frozenset[str] | None = None
        self._webhook_url = ""
        self._chats: dict[int, JSONDict] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._member_status: dict[tuple[int, int], str] = {}
        self._languages: dict[int, str] = {}
        self._migrated: dict[int, int] = {}
        self._query_ids = itertools.count(4_000_000_000_001)
        self._open_queries: dict[str, str] = {}  # id -> "callback_query"/"inline_query"
        self._answered_queries: set[str] = set()
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._files: dict[str, bytes] = {}  # file_id -> content, for getFile and downloads
        self._file_ids = itertools.count(1)
        self.downloads: list[str] = []  # file paths the bot downloaded
        self._injections: list[_Rule] = []
        self._delays: list[_Rule] = []
        self._global_sends: collections.deque[float] = collections.deque()
        self._group_sends: dict[int, collections.deque[float]] = {}
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._handlers: dict[str, Callable[[JSONDict], Any]] = {
            name[len("_api_") :].lower(): getattr(self, name)
            for name in dir(self)
            if name.startswith("_api_")
        }
        self._canonical = {
            name[len("_api_") :].lower(): name[len("_api_") :]
            for name in dir(self)
            if name.startswith("_api_")
        }

        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self.port: int = self._server.server_port
        self.base_url = f"http://127.0.0.1:{self.port}/bot"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # bounds how long close() takes
            name=f"BotApiFake:{self.port}",
            daemon=True,
        )
        self._thread.start()

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self) -> BotApiFake:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving; wakes long polls and waiters. Idempotent."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
        self._closing.set()
        self._server.shutdown()
        # Idle keep-alive connections would otherwise pin handler threads.
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._thread.join()

    def _track_connection(self, connection: socket.socket, *, add: bool) -> None:
        with self._connections_lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    # -- configuration -----------------------------------------------------

    @property
    def bot_id(self) -> int:
        return int(self.bot_user["id"])

    @property
    def bot_username(self) -> str:
        return str(self.bot_user["username"])

    def set_language(self, user_id: int, language_code: str) -> None:
        """The language_code Telegram reports for a user (their app's language); default "en"."""
        with self._cond:
            self._languages[user_id] = language_code

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Status getChatMember reports for (chat_id, user_id); default "member"."""
        if status not in _CHAT_MEMBER_STATUSES:
            raise ValueError(f"unknown chat member status {status!r}")
        with self._cond:
            self._member_status[(chat_id, user_id)] = status

    def inject(
        self,
        method: str,
        error_code: int,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        times: int | None = 1,
        chat_id: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Make the next `times` calls of `method` (optionally only to `chat_id`) fail.

        times=None fails every call until clear_injections(). A 429 without
        retry_after gets retry_after=1, since Telegram always sends one.
        """
        if error_code == 429 and retry_after is None:
            retry_after = 1
        value = (error_code, description, retry_after, migrate_to_chat_id)
        with self._cond:
            self._injections.append(_Rule(self._canon(method), times, chat_id, value))

    def delay(self, method: str, seconds: float, *, times: int | None = 1) -> None:
        """Make the next `times` answers to `method` take `seconds` longer."""
        with self._cond:
            self._delays.append(_Rule(self._canon(method), times, None, seconds))

    def clear_injections(self) -> None:
        with self._cond:
            self._injections.clear()
            self._delays.clear()

    # -- playing users -----------------------------------------------------

    def push_update(self, update: JSONDict) -> int:
        """Queue an update (update_id is assigned) and wake long polls."""
        update = _copy(update)
        update.pop("update_id", None)
        with self._cond:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, **update})
            chat_id, query_id = self._update_target(update)
            self._update_meta[update_id] = (
                _update_kind(update),
                chat_id,
                query_id,
                len(self.calls),
            )
            self._cond.notify_all()
        return update_id

    def user(
        self, user_id: int, first_name: str | None = None, username: str | None = None
    ) -> JSONDict:
        """The User dict the fake uses for `user_id`."""
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name or f"User{user_id}",
            "username": username or f"user{user_id}",
            "language_code": self._languages.get(user_id, "en"),
        }

    def user_message(
        self,
        text: str,
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
        chat_type: str | None = None,
        message_thread_id: int | None = None,
        reply_to: JSONDict | int | None = None,
        first_name: str | None = None,
        username: str | None = None,
        chat_title: str | None = None,
    ) -> int:
        """A user writes `text`; a leading /command gets its bot_command entity.

        With neither id given this is a private chat with DEFAULT_USER_ID. In a
        private chat the user is the chat. `reply_to` is a stored message dict
        or a message_id in the same chat.
        """
        if user_id is None:
            user_id = chat_id if chat_id is not None and chat_id > 0 else DEFAULT_USER_ID
        if chat_id is None:
            chat_id = user_id
        sender = self.user(user_id, first_name, username)
        with self._cond:
            chat = self._chat(chat_id, chat_type, sender, chat_title, forum=message_thread_id)
            message: JSONDict = {
                "message_id": self._next_message_id(chat_id),
                "from": sender,
                "chat": chat,
                "date": int(time.time()),
                "text": text,
            }
            command = _COMMAND_RE.match(text)
            if command:
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))}
                ]
            if message_thread_id is not None:
                message["message_thread_id"] = message_thread_id
                message["is_topic_message"] = True
            if reply_to is not None:
                reply_id = reply_to if isinstance(reply_to, int) else reply_to["message_id"]
                original = self._messages.get((chat_id, reply_id))
                if original is None:
                    raise ValueError(f"no message {reply_id} in chat {chat_id} to reply to")
                message["reply_to_message"] = _copy(
                    {k: v for k, v in original.items() if k != "reply_to_message"}
                )
            self._messages[(chat_id, message["message_id"])] = message
            return self.push_update({"message": message})

    def callback_query(
        self,
        message: JSONDict,
        data: str,
        *,
        user_id: int | None = None,
        check_button: bool = True,
    ) -> int:
        """A user presses the button with `data` under a message the bot sent.

        The current state of the message (after edits) is used. With
        check_button, pressing a button the message does not have is a test
        bug and raises ValueError.
        """
        chat_id = int(message["chat"]["id"])
        with self._cond:
            current = self._messages.get((chat_id, int(message["message_id"])))
            if current is None:
                raise ValueError(f"no message {message['message_id']} in chat {chat_id}")
            if check_button:
                available = [
                    button.get("callback_data")
                    for row in (current.get("reply_markup") or {}).get("inline_keyboard", [])
                    for button in row
                ]
                if data not in available:
                    raise ValueError(
                        f"message {current['message_id']} has no button with "
                        f"callback_data {data!r}; it has {available!r}"
                    )
            if user_id is None:
                user_id = chat_id if chat_id > 0 else DEFAULT_USER_ID
            query_id = str(next(self._query_ids))
            self._open_queries[query_id] = "callback_query"
            return self.push_update(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": self.user(user_id),
                        "message": _copy(current),
                        "chat_instance": str(abs(chat_id) * 7919 % 10**12),
                        "data": data,
                    }
                }
            )

    def inline_query(
        self,
        query: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        offset: str = "",
        chat_type: str = "private",
    ) -> int:
        """A user types "@bot `query`" in some chat."""
        with self._cond:
            query_id = str(next(self._query_ids))
            self._open_queries[query_id] = "inline_query"
            return self.push_update(
                {
                    "inline_query": {
                        "id": query_id,
                        "from": self.user(user_id),
                        "query": query,
                        "offset": offset,
                        "chat_type": chat_type,
                    }
                }
            )

    def my_chat_member(
        self,
        chat_id: int,
        new_status: str = "member",
        *,
        old_status: str | None = None,
        user_id: int | None = None,
    ) -> int:
        """The bot's own membership changes (added, promoted, kicked, blocked...).

        Later calls to that chat behave accordingly: "kicked"/"left" make
        sends fail with 403 as on Telegram.
        """
        if new_status not in _CHAT_MEMBER_STATUSES:
            raise ValueError(f"unknown chat member status {new_status!r}")
        if user_id is None:
            user_id = chat_id if chat_id > 0 else DEFAULT_USER_ID
        actor = self.user(user_id)
        with self._cond:
            key = (chat_id, self.bot_id)
            if old_status is None:
                old_status = self._member_status.get(
                    key, "left" if new_status in ("member", "administrator") else "member"
                )
            self._member_status[key] = new_status
            return self.push_update(
                {
                    "my_chat_member": {
                        "chat": self._chat(chat_id, None, actor),
                        "from": actor,
                        "date": int(time.time()),
                        "old_chat_member": _member(self.bot_user, old_status),
                        "new_chat_member": _member(self.bot_user, new_status),
                    }
                }
            )

    def migrate(self, chat_id: int, new_chat_id: int, *, user_id: int = DEFAULT_USER_ID) -> int:
        """A group becomes a supergroup.

        Like Telegram, pushes the service message with migrate_to_chat_id in the
        old chat and then the one with migrate_from_chat_id in the new chat;
        returns the first update_id. Afterwards any call to the old chat fails
        with 400 + migrate_to_chat_id (PTB raises ChatMigrated).
        """
        actor = self.user(user_id)
        with self._cond:
            old_chat = self._chat(chat_id, "group", actor)
            new_chat = self._chat(new_chat_id, "supergroup", actor, old_chat.get("title"))
            self._migrated[chat_id] = new_chat_id
            first = self.push_update(
                {
                    "message": {
                        "message_id": self._next_message_id(chat_id),
                        "from": actor,
                        "chat": old_chat,
                        "date": int(time.time()),
                        "migrate_to_chat_id": new_chat_id,
                    }
                }
            )
            self.push_update(
                {
                    "message": {
                        "message_id": self._next_message_id(new_chat_id),
                        "from": {"id": 1087968824, "is_bot": True, "first_name": "Group"},
                        "sender_chat": old_chat,
                        "chat": new_chat,
                        "date": int(time.time()),
                        "migrate_from_chat_id": chat_id,
                    }
                }
            )
            return first

    # -- inspection --------------------------------------------------------

    def sent(self, chat_id: int | None = None) -> list[JSONDict]:
        """Payloads of sendMessage calls that Telegram would have accepted."""
        with self._cond:
            return [
                call.payload
                for call, result in zip(self.calls, self._results, strict=True)
                if call.method == "sendMessage"
                and result is not None
                and (chat_id is None or call.payload.get("chat_id") == chat_id)
            ]

    def messages(self, chat_id: int) -> list[JSONDict]:
        """Current state of every message (user and bot) in a chat."""
        with self._cond:
            found = [m for (c, _), m in self._messages.items() if c == chat_id]
            return _copy(sorted(found, key=lambda m: m["message_id"]))

    def bot_messages(self, chat_id: int) -> list[JSONDict]:
        return [m for m in self.messages(chat_id) if m["from"]["id"] == self.bot_id]

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        with self._cond:
            return _copy(self._commands.get((self._scope_key(scope), language_code), []))

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed by the bot."""
        with self._cond:
            return _copy(self._updates)

    # -- waiting -----------------------------------------------------------

    def wait_for(
        self,
        method: str,
        predicate: Callable[[JSONDict], bool] | None = None,
        timeout: float = 10.0,
    ) -> JSONDict:
        """Block until a call of `method` whose payload satisfies `predicate` arrived.

        Returns its payload. Every wait_* returns the earliest matching call no
        earlier wait_* has returned, so consecutive waits walk through calls in
        order (also calls received before the wait started).
        """
        canonical = self._canon(method)

        def match(call: Call, result: Any) -> bool:
            return call.method == canonical and (predicate is None or predicate(call.payload))

        return self._wait(match, f"a {canonical} call", timeout).payload

    def wait_for_message(
        self,
        chat_id: int | None = None,
        predicate: Callable[[JSONDict], bool] | None = None,
        timeout: float = 10.0,
    ) -> JSONDict:
        """Like wait_for("sendMessage") but returns the Message the fake answered.

        Only accepted sends count; `predicate` sees the Message dict (visible
        text, entities, reply_markup). Feed it to callback_query().
        """
        index = self._wait_index(
            lambda call, result: (
                call.method == "sendMessage"
                and result is not None
                and (chat_id is None or result["chat"]["id"] == chat_id)
                and (predicate is None or predicate(result))
            ),
            f"an accepted sendMessage to chat {chat_id}",
            timeout,
        )
        with self._cond:
            return _copy(self._results[index])

    def wait_for_reply(
        self,
        update_id: int,
        method: str | None = None,
        predicate: Callable[[JSONDict], bool] | None = None,
        timeout: float = 10.0,
    ) -> JSONDict:
        """Wait for the bot's reaction to one pushed update; returns the payload.

        Default method: answerCallbackQuery / answerInlineQuery with the
        matching query id for queries, otherwise sendMessage to the update's
        chat. Only calls made after the update was pushed count.
        """
        with self._cond:
            if update_id not in self._update_meta:
                raise ValueError(f"update {update_id} was not pushed through this fake")
            kind, chat_id, query_id, first_call = self._update_meta[update_id]
        if method is None:
            method = {
                "callback_query": "answerCallbackQuery",
                "inline_query": "answerInlineQuery",
            }.get(kind, "sendMessage")
        canonical = self._canon(method)
        query_key = {"answerCallbackQuery": "callback_query_id"}.get(
            canonical, "inline_query_id" if canonical == "answerInlineQuery" else None
        )

        def match(call: Call, result: Any) -> bool:
            if call.method != canonical:
                return False
            if query_key is not None:
                if call.payload.get(query_key) != query_id:
                    return False
            elif call.payload.get("chat_id") != chat_id:
                return False
            return predicate is None or predicate(call.payload)

        return self._wait(
            match, f"a {canonical} reacting to update {update_id}", timeout, start=first_call
        ).payload

    async def wait_for_async(
        self,
        method: str,
        predicate: Callable[[JSONDict], bool] | None = None,
        timeout: float = 10.0,
    ) -> JSONDict:
        """wait_for() without blocking the event loop the bot runs on."""
        return await asyncio.to_thread(self.wait_for, method, predicate, timeout)

    async def wait_for_message_async(
        self,
        chat_id: int | None = None,
        predicate: Callable[[JSONDict], bool] | None = None,
        timeout: float = 10.0,
    ) -> JSONDict:
        return await asyncio.to_thread(self.wait_for_message, chat_id, predicate, timeout)

    async def wait_for_reply_async(
        self,
        update_id: int,
        method: str | None = None,
        predicate: Callable[[JSONDict], bool] | None = None,
        timeout: float = 10.0,
    ) -> JSONDict:
        return await asyncio.to_thread(self.wait_for_reply, update_id, method, predicate, timeout)

    def _wait(
        self, match: Callable[[Call, Any], bool], what: str, timeout: float, start: int = 0
    ) -> Call:
        index = self._wait_index(match, what, timeout, start)
        return self.calls[index]

    def _wait_index(
        self, match: Callable[[Call, Any], bool], what: str, timeout: float, start: int = 0
    ) -> int:
        deadline = time.monotonic() + timeout
        scanned = start
        with self._cond:
            while True:
                while scanned < len(self.calls):
                    index = scanned
                    scanned += 1
                    if index not in self._consumed and match(
                        self.calls[index], self._results[index]
                    ):
                        self._consumed.add(index)
                        return index
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    raise AssertionError(self._describe_timeout(what, timeout))
                self._cond.wait(remaining)

    def _describe_timeout(self, what: str, timeout: float) -> str:
        recent = [(i, c) for i, c in enumerate(self.calls) if c.method != "getUpdates"][-15:]
        lines = [f"BotApiFake: no {what} within {timeout}s."]
        if self._closed:
            lines[0] = f"BotApiFake: no {what}; the fake was closed."
        lines.append("Recent calls (getUpdates omitted; * = already returned by a wait):")
        for index, call in recent:
            mark = "*" if index in self._consumed else " "
            ok = "ok" if self._results[index] is not None else "FAILED"
            lines.append(f" {mark} #{index} {call.method} [{ok}] {_short(call.payload)}")
        if not recent:
            lines.append("   (none)")
        polls = sum(1 for c in self.calls if c.method == "getUpdates")
        lines.append(f"getUpdates calls: {polls}; updates still queued: {len(self._updates)}")
        if self.rejections:
            lines.append(f"Rejections: {self.rejections[-5:]!r}")
        if self.errors:
            lines.append(f"Errors: {self.errors[-5:]!r}")
        return "\n".join(lines)

    # -- dispatch ----------------------------------------------------------

    def _canon(self, method: str) -> str:
        # Telegram method names are case-insensitive.
        return self._canonical.get(method.lower(), method)

    def _dispatch(self, path: str, content_type: str, body: bytes) -> tuple[int, JSONDict | bytes]:
        url = urlsplit(path)
        download = re.fullmatch(r"/file/bot([^/]+)/(.+)", url.path)
        if download is not None:
            return self._download(unquote(download.group(1)), unquote(download.group(2)))
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z0-9_]+)", url.path)
        if match is None:
            with self._cond:
                self.errors.append(f"request to {url.path!r} lacks the /bot<token>/<method> prefix")
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token = unquote(match.group(1))
        method = self._canon(match.group(2))
        with self._cond:
            if token not in self.tokens:
                self.tokens.append(token)
        if self.strict_token and token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        try:
            payload = _decode_request(content_type, body, url.query)
        except (ValueError, UnicodeDecodeError) as exc:
            with self._cond:
                self.errors.append(f"{method}: undecodable request body: {exc}")
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": f"Bad Request: can't decode request: {exc}",
            }

        seconds = self._take_rule(self._delays, method, payload)
        if seconds:
            # Simulates a slow server; waking early on close keeps shutdown fast.
            self._closing.wait(float(seconds))

        try:
            self._raise_injected(method, payload)
            if method == "getUpdates":
                result = self._get_updates(payload)
            else:
                with self._cond:
                    result = self._call(method, payload)
        except _ApiError as error:
            return self._fail(method, payload, error)
        except Exception:
            with self._cond:
                self.errors.append(f"{method}: fake crashed:\n{traceback.format_exc()}")
                self._record(method, payload, None)
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        with self._cond:
            self._record(method, payload, result)
        return 200, {"ok": True, "result": result}

    def _raise_injected(self, method: str, payload: JSONDict) -> None:
        injected = self._take_rule(self._injections, method, payload)
        if injected is not None:
            code, description, retry_after, migrate_to = injected
            parameters: JSONDict = {}
            if retry_after is not None:
                parameters["retry_after"] = retry_after
            if migrate_to is not None:
                parameters["migrate_to_chat_id"] = migrate_to
            raise _ApiError(
                code,
                description or _default_error_description(code, payload, retry_after),
                parameters or None,
            )

    def _call(self, method: str, payload: JSONDict) -> Any:
        handler = self._handlers.get(method.lower())
        if handler is None:
            self.errors.append(f"{method}: method not implemented in fake")
            raise _ApiError(400, f"Bad Request: method not implemented in fake: {method}")
        self._check_chat_state(method, payload)
        return handler(payload)

    def _take_rule(self, rules: list[_Rule], method: str, payload: JSONDict) -> Any:
        with self._cond:
            for rule in rules:
                if rule.method != method:
                    continue
                if rule.chat_id is not None and payload.get("chat_id") != rule.chat_id:
                    continue
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        rules.remove(rule)
                return rule.value
        return None

    def _fail(self, method: str, payload: JSONDict, error: _ApiError) -> tuple[int, JSONDict]:
        answer: JSONDict = {
            "ok": False,
            "error_code": error.code,
            "description": error.description,
        }
        if error.parameters:
            answer["parameters"] = error.parameters
        with self._cond:
            self.failures.append(Failure(method, error.code, error.description, payload))
            if error.rejection:
                self.rejections.append(Rejection(method, error.description, payload))
            self._record(method, payload, None)
        return error.code, answer

    def _record(self, method: str, payload: JSONDict, result: Any) -> None:
        self.calls.append(Call(method, payload))
        self._results.append(result)
        self._cond.notify_all()

    def _check_chat_state(self, method: str, payload: JSONDict) -> None:
        chat_id = payload.get("chat_id")
        if not isinstance(chat_id, int):
            return
        if chat_id in self._migrated:
            raise _ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self._migrated[chat_id]},
            )
        if method == "getChatMember":
            return
        status = self._member_status.get((chat_id, self.bot_id))
        if status == "kicked":
            raise _ApiError(403, _default_error_description(403, payload, None))
        if status == "left" and chat_id < 0:
            raise _ApiError(403, "Forbidden: bot is not a member of the group chat")

    # -- state helpers (call with the lock held) ---------------------------

    def _chat(
        self,
        chat_id: int,
        chat_type: str | None,
        user: JSONDict | None = None,
        title: str | None = None,
        forum: int | None = None,
    ) -> JSONDict:
        chat = self._chats.get(chat_id)
        if chat is None or (chat_type is not None and chat["type"] != chat_type):
            kind = chat_type or _chat_type_for(chat_id)
            chat = {"id": chat_id, "type": kind}
            if kind == "private":
                person = user if user is not None and user["id"] == chat_id else self.user(chat_id)
                chat["first_name"] = person["first_name"]
                chat["username"] = person["username"]
            else:
                chat["title"] = title or f"Test group {abs(chat_id)}"
            self._chats[chat_id] = chat
        if forum is not None and chat["type"] == "supergroup":
            chat["is_forum"] = True
        return _copy(chat)

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _update_target(self, update: JSONDict) -> tuple[int | None, str | None]:
        kind = _update_kind(update)
        body = update.get(kind)
        if not isinstance(body, dict):
            return None, None
        if kind in ("callback_query", "inline_query"):
            message = body.get("message") or {}
            return (message.get("chat") or {}).get("id"), body.get("id")
        return (body.get("chat") or {}).get("id"), None

    @staticmethod
    def _scope_key(scope: Any) -> str:
        return json.dumps(scope or {"type": "default"}, sort_keys=True)

    def _is_allowed(self, update: JSONDict) -> bool:
        kind = _update_kind(update)
        if self._allowed_updates is None:
            return kind not in _DEFAULT_EXCLUDED_UPDATES
        return kind in self._allowed_updates

    # -- validation --------------------------------------------------------

    def _check_text(
        self,
        text: Any,
        parse_mode: Any,
        entities: Any = None,
        *,
        empty: str = "Bad Request: message text is empty",
        too_long: str = "Bad Request: message is too long",
    ) -> tuple[str, list[JSONDict]]:
        if text is None or text == "":
            raise _reject(empty)
        text = str(text)
        if isinstance(parse_mode, str) and parse_mode.lower() == "html":
            try:
                visible, parsed = parse_telegram_html_entities(text)
            except TelegramHTMLError as exc:
                raise _reject(f"Bad Request: can't parse entities: {exc}") from None
        else:
            # Markdown modes are not validated by the fake.
            visible, parsed = text, list(entities) if isinstance(entities, list) else []
        if not visible.strip():
            raise _reject(empty)
        if utf16_len(visible) > MAX_MESSAGE_LENGTH:
            raise _reject(too_long)
        return visible, parsed

    def _check_markup(self, markup: Any) -> JSONDict | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _reject("Bad Request: can't parse reply keyboard markup JSON object")
        keyboard = markup.get("inline_keyboard")
        if keyboard is None:
            return None  # reply keyboards are not echoed back in the Message
        if not isinstance(keyboard, list) or not all(isinstance(r, list) for r in keyboard):
            raise _reject('Bad Request: field "inline_keyboard" must be an Array of Array')
        buttons = [button for row in keyboard for button in row]
        if len(buttons) > 100:
            raise _reject("Bad Request: reply markup is too long")
        for button in buttons:
            if not isinstance(button, dict) or not button.get("text"):
                raise _reject("Bad Request: can't parse inline keyboard button: text is empty")
            if "callback_data" in button:
                data = button["callback_data"]
                size = len(str(data).encode("utf-8"))
                if not isinstance(data, str) or not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                    raise _reject("Bad Request: BUTTON_DATA_INVALID")
            elif "url" in button:
                if not re.match(r"(https?|tg)://\S+$", str(button["url"])):
                    raise _reject("Bad Request: BUTTON_URL_INVALID")
            elif not any(action in button for action in _BUTTON_ACTIONS):
                raise _reject(
                    "Bad Request: can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
        return {"inline_keyboard": keyboard}

    def _check_rate_limits(self, chat_id: int) -> None:
        if not self.enforce_limits:
            return
        now = self.clock()
        sends = self._global_sends
        while sends and sends[0] <= now - 1.0:
            sends.popleft()
        retry_after = 0.0
        if len(sends) >= 30:
            retry_after = sends[0] + 1.0 - now
        group = self._group_sends.setdefault(chat_id, collections.deque()) if chat_id < 0 else None
        if group is not None:
            while group and group[0] <= now - 60.0:
                group.popleft()
            if len(group) >= 20:
                retry_after = max(retry_after, group[0] + 60.0 - now)
        if len(sends) >= 30 or (group is not None and len(group) >= 20):
            self.too_many_requests += 1
            seconds = max(1, math.ceil(retry_after))
            raise _ApiError(
                429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
            )
        sends.append(now)
        if group is not None:
            group.append(now)

    def _chat_id(self, payload: JSONDict) -> int:
        chat_id = payload.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _reject("Bad Request: chat_id is empty")
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise _reject("Bad Request: chat not found")
        return chat_id

    def _stored_message(self, payload: JSONDict, missing: str) -> JSONDict:
        chat_id = self._chat_id(payload)
        message = self._messages.get((chat_id, payload.get("message_id")))  # type: ignore[arg-type]
        if message is None:
            raise _reject(missing)
        return message

    # -- Bot API methods (called with the lock held) -----------------------

    def _api_getMe(self, payload: JSONDict) -> JSONDict:
        return _copy(self.bot_user)

    def _api_logOut(self, payload: JSONDict) -> bool:
        return True

    def _api_close(self, payload: JSONDict) -> bool:
        return True

    def _api_setWebhook(self, payload: JSONDict) -> bool:
        if not payload.get("url"):
            raise _reject("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self._webhook_url = str(payload["url"])
        return True

    def _api_deleteWebhook(self, payload: JSONDict) -> bool:
        self._webhook_url = ""
        if payload.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_getWebhookInfo(self, payload: JSONDict) -> JSONDict:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _api_getUpdates(self, payload: JSONDict) -> list[JSONDict]:
        raise AssertionError("getUpdates is served by _get_updates")  # pragma: no cover

    def _get_updates(self, payload: JSONDict) -> list[JSONDict]:
        offset = payload.get("offset") or 0
        limit = payload.get("limit") or 100
        timeout = min(float(payload.get("timeout") or 0), self.max_poll_timeout)
        limit = max(1, min(int(limit), 100))
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._webhook_url:
                raise _reject(
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                    code=409,
                )
            if "allowed_updates" in payload:
                allowed = payload["allowed_updates"]
                # An empty list resets to Telegram's default set.
                self._allowed_updates = frozenset(allowed) if allowed else None
            if offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]
            while True:
                # Telegram drops updates of types the bot did not ask for.
                self._updates = [u for u in self._updates if self._is_allowed(u)]
                remaining = deadline - time.monotonic()
                if self._updates or self._closed or remaining <= 0:
                    return _copy(self._updates[:limit])
                self._cond.wait(remaining)

    def _api_sendMessage(self, payload: JSONDict) -> JSONDict:
        chat_id = self._chat_id(payload)
        visible, entities = self._check_text(
            payload.get("text"), payload.get("parse_mode"), payload.get("entities")
        )
        markup = self._check_markup(payload.get("reply_markup"))
        reply_to = self._reply_target(chat_id, payload)
        self._check_rate_limits(chat_id)
        message: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "from": _copy(self.bot_user),
            "chat": self._chat(chat_id, None),
            "date": int(time.time()),
            "text": visible,
        }
        if entities:
            message["entities"] = entities
        if markup is not None:
            message["reply_markup"] = markup
        if payload.get("message_thread_id") is not None:
            message["message_thread_id"] = payload["message_thread_id"]
            message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = _copy(
                {k: v for k, v in reply_to.items() if k != "reply_to_message"}
            )
        self._messages[(chat_id, message["message_id"])] = message
        return _copy(message)

    def _reply_target(self, chat_id: int, payload: JSONDict) -> JSONDict | None:
        params = payload.get("reply_parameters")
        reply_id = payload.get("reply_to_message_id")
        allow_missing = bool(payload.get("allow_sending_without_reply"))
        if isinstance(params, dict):
            reply_id = params.get("message_id")
            allow_missing = bool(params.get("allow_sending_without_reply", allow_missing))
            if params.get("chat_id") not in (None, chat_id):
                return None  # cross-chat replies are not modelled
        if reply_id is None:
            return None
        original = self._messages.get((chat_id, reply_id))
        if original is None and not allow_missing:
            raise _reject("Bad Request: message to be replied not found")
        return original

    def _api_editMessageText(self, payload: JSONDict) -> JSONDict | bool:
        if payload.get("inline_message_id"):
            self._check_text(
                payload.get("text"), payload.get("parse_mode"), payload.get("entities")
            )
            self._check_markup(payload.get("reply_markup"))
            return True
        message = self._stored_message(payload, "Bad Request: message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise _reject("Bad Request: message can't be edited")
        visible, entities = self._check_text(
            payload.get("text"), payload.get("parse_mode"), payload.get("entities")
        )
        # Like Telegram, an edit without reply_markup removes the keyboard.
        markup = self._check_markup(payload.get("reply_markup"))
        if (
            message.get("text") == visible
            and message.get("entities", []) == entities
            and message.get("reply_markup") == markup
        ):
            raise _reject(_NOT_MODIFIED)
        message["text"] = visible
        message.pop("entities", None)
        if entities:
            message["entities"] = entities
        self._set_markup(message, markup)
        message["edit_date"] = int(time.time())
        return _copy(message)

    def _api_editMessageReplyMarkup(self, payload: JSONDict) -> JSONDict | bool:
        if payload.get("inline_message_id"):
            self._check_markup(payload.get("reply_markup"))
            return True
        message = self._stored_message(payload, "Bad Request: message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise _reject("Bad Request: message can't be edited")
        markup = self._check_markup(payload.get("reply_markup"))
        if message.get("reply_markup") == markup:
            raise _reject(_NOT_MODIFIED)
        self._set_markup(message, markup)
        message["edit_date"] = int(time.time())
        return _copy(message)

    @staticmethod
    def _set_markup(message: JSONDict, markup: JSONDict | None) -> None:
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup

    def _api_deleteMessage(self, payload: JSONDict) -> bool:
        message = self._stored_message(payload, "Bad Request: message to delete not found")
        del self._messages[(message["chat"]["id"], message["message_id"])]
        return True

    def _api_sendChatAction(self, payload: JSONDict) -> bool:
        self._chat_id(payload)
        return True

    def _take_query(self, query_id: Any, kind: str) -> None:
        query_id = str(query_id) if query_id is not None else ""
        if self._open_queries.get(query_id) != kind or query_id in self._answered_queries:
            raise _reject(_QUERY_INVALID)
        self._answered_queries.add(query_id)

    def _api_answerCallbackQuery(self, payload: JSONDict) -> bool:
        text = payload.get("text")
        if text is not None and len(str(text)) > 200:
            raise _reject("Bad Request: MESSAGE_TOO_LONG")
        self._take_query(payload.get("callback_query_id"), "callback_query")
        return True

    def _api_answerInlineQuery(self, payload: JSONDict) -> bool:
        results = payload.get("results")
        if not isinstance(results, list):
            raise _reject("Bad Request: can't parse inline query results JSON object")
        if len(results) > 50:
            raise _reject("Bad Request: RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            result_id = str(result.get("id", "")) if isinstance(result, dict) else ""
            if not 1 <= len(result_id.encode("utf-8")) <= 64:
                raise _reject("Bad Request: RESULT_ID_INVALID")
            if result_id in seen:
                raise _reject("Bad Request: RESULT_ID_DUPLICATE")
            seen.add(result_id)
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                self._check_text(
                    content.get("message_text"),
                    content.get("parse_mode"),
                    content.get("entities"),
                    empty="Bad Request: MESSAGE_EMPTY",
                    too_long="Bad Request: MESSAGE_TOO_LONG",
                )
            self._check_markup(result.get("reply_markup"))
        self._take_query(payload.get("inline_query_id"), "inline_query")
        return True

    def _api_setMyCommands(self, payload: JSONDict) -> bool:
        commands = payload.get("commands")
        if not isinstance(commands, list):
            raise _reject("Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise _reject("Bad Request: too many commands")
        for command in commands:
            if not isinstance(command, dict) or not _BOT_COMMAND_NAME_RE.fullmatch(
                str(command.get("command", ""))
            ):
                raise _reject("Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description") or "")) <= 256:
                raise _reject("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = (self._scope_key(payload.get("scope")), str(payload.get("language_code") or ""))
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _api_getMyCommands(self, payload: JSONDict) -> list[JSONDict]:
        key = (self._scope_key(payload.get("scope")), str(payload.get("language_code") or ""))
        return _copy(self._commands.get(key, []))

    def _api_deleteMyCommands(self, payload: JSONDict) -> bool:
        key = (self._scope_key(payload.get("scope")), str(payload.get("language_code") or ""))
        self._commands.pop(key, None)
        return True

    def _api_sendDocument(self, payload: JSONDict) -> JSONDict:
        chat_id = self._chat_id(payload)
        document = payload.get("document")
        if not isinstance(document, dict) or not document.get("data"):
            raise _reject("Bad Request: there is no document in the request")
        if len(document["data"]) > 50 * 1024 * 1024:
            raise _reject("Request Entity Too Large", code=413)
        caption = payload.get("caption")
        visible, entities = ("", [])
        if caption:
            visible, entities = self._check_text(caption, payload.get("parse_mode"))
            if utf16_len(visible) > 1024:
                raise _reject("Bad Request: message caption is too long")
        self._check_rate_limits(chat_id)
        message: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "from": _copy(self.bot_user),
            "chat": self._chat(chat_id, None),
            "date": int(time.time()),
            "document": self._store_file(
                document["data"],
                document.get("filename") or "document",
                document.get("content_type") or "application/octet-stream",
            ),
        }
        if visible:
            message["caption"] = visible
            if entities:
                message["caption_entities"] = entities
        self._messages[(chat_id, message["message_id"])] = message
        return _copy(message)

    def _api_sendPhoto(self, payload: JSONDict) -> JSONDict:
        """An uploaded photo, checked as Telegram checks one: at most 10 MB, width + height at
        most 10,000 and a ratio of at most 20, a caption of at most 1,024 characters. The fake
        reads PNG only (what the bot sends); any other upload is refused as unreadable."""
        chat_id = self._chat_id(payload)
        photo = payload.get("photo")
        if not isinstance(photo, dict) or not photo.get("data"):
            raise _reject("Bad Request: there is no photo in the request")
        data = photo["data"]
        if len(data) > MAX_PHOTO_BYTES:
            raise _reject("Bad Request: PHOTO_SAVE_FILE_INVALID")
        size = png_size(data)
        if size is None:
            raise _reject("Bad Request: IMAGE_PROCESS_FAILED")
        width, height = size
        if width + height > MAX_PHOTO_SIDES or max(width, height) > 20 * min(width, height):
            raise _reject("Bad Request: PHOTO_INVALID_DIMENSIONS")
        caption = payload.get("caption")
        visible, entities = ("", [])
        if caption:
            visible, entities = self._check_text(caption, payload.get("parse_mode"))
            if utf16_len(visible) > MAX_CAPTION_LENGTH:
                raise _reject("Bad Request: message caption is too long")
        markup = self._check_markup(payload.get("reply_markup"))
        self._check_rate_limits(chat_id)
        stored = self._store_file(data, photo.get("filename") or "photo", "image/png")
        message: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "from": _copy(self.bot_user),
            "chat": self._chat(chat_id, None),
            "date": int(time.time()),
            "photo": [
                {
                    "file_id": stored["file_id"],
                    "file_unique_id": stored["file_unique_id"],
                    "width": width,
                    "height": height,
                    "file_size": len(data),
                }
            ],
        }
        if visible:
            message["caption"] = visible
            if entities:
                message["caption_entities"] = entities
        if markup is not None:
            message["reply_markup"] = markup
        self._messages[(chat_id, message["message_id"])] = message
        return _copy(message)

    def file_bytes(self, file_id: str) -> bytes:
        """What was uploaded as this file (a photo, a document)."""
        with self._cond:
            return self._files[file_id]

    def _store_file(self, data: bytes, file_name: str, mime_type: str) -> JSONDict:
        """A Document dict for `data`, kept so getFile and a download can serve it."""
        file_id = f"doc{next(self._file_ids)}"
        self._files[file_id] = bytes(data)
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }

    def _api_getFile(self, payload: JSONDict) -> JSONDict:
        file_id = str(payload.get("file_id") or "")
        if file_id not in self._files:
            raise _reject("Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(self._files[file_id]),
            "file_path": f"documents/{file_id}",
        }

    def _download(self, token: str, file_path: str) -> tuple[int, JSONDict | bytes]:
        """GET /file/bot<token>/<file_path>: the bytes, as Telegram's file server sends them."""
        file_id = file_path.removeprefix("documents/")
        with self._cond:
            if token != self.token or file_id not in self._files:
                self.errors.append(f"download of unknown file {file_path!r}")
                return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
            self.downloads.append(file_path)
            return 200, self._files[file_id]

    def user_document(
        self,
        data: bytes,
        file_name: str,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
        user_id: int | None = None,
        chat_type: str | None = None,
        mime_type: str = "application/json",
    ) -> int:
        """A user sends a file (with a caption, whose leading /command gets its entity)."""
        if user_id is None:
            user_id = chat_id if chat_id is not None and chat_id > 0 else DEFAULT_USER_ID
        if chat_id is None:
            chat_id = user_id
        sender = self.user(user_id)
        with self._cond:
            message: JSONDict = {
                "message_id": self._next_message_id(chat_id),
                "from": sender,
                "chat": self._chat(chat_id, chat_type, sender, None, forum=None),
                "date": int(time.time()),
                "document": self._store_file(data, file_name, mime_type),
            }
            if caption:
                message["caption"] = caption
                command = _COMMAND_RE.match(caption)
                if command:
                    message["caption_entities"] = [
                        {"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))}
                    ]
            self._messages[(chat_id, message["message_id"])] = message
            return self.push_update({"message": message})

    def add_chat(self, chat_id: int, kind: str, *, username: str = "", title: str = "") -> None:
        """A chat the bot can look up with getChat (by id or "@username"), e.g. a channel."""
        with self._cond:
            chat: JSONDict = {"id": chat_id, "type": kind, "title": title or f"Chat {chat_id}"}
            if username:
                chat["username"] = username
            self._chats[chat_id] = chat

    def _find_chat(self, payload: JSONDict) -> JSONDict:
        ref = payload.get("chat_id")
        if isinstance(ref, str) and ref.startswith("@"):
            found = [
                c for c in self._chats.values() if c.get("username", "").lower() == ref[1:].lower()
            ]
            if not found:
                raise _reject("Bad Request: chat not found")
            return found[0]
        if not isinstance(ref, int) or ref not in self._chats:
            raise _reject("Bad Request: chat not found")
        return self._chats[ref]

    def _api_getChat(self, payload: JSONDict) -> JSONDict:
        chat = _copy(self._find_chat(payload))
        # ChatFullInfo: a few fields PTB requires beyond Chat's.
        chat.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return chat

    def _api_getChatAdministrators(self, payload: JSONDict) -> list[JSONDict]:
        chat = self._find_chat(payload)
        admins = [
            _member(self.user(user_id), status)
            for (chat_id, user_id), status in sorted(self._member_status.items())
            if chat_id == chat["id"] and status in ("administrator", "creator")
        ]
        return admins

    def _api_getChatMember(self, payload: JSONDict) -> JSONDict:
        chat_id = self._chat_id(payload)
        user_id = payload.get("user_id")
        if not isinstance(user_id, int):
            raise _reject("Bad Request: invalid user_id specified")
        status = self._member_status.get((chat_id, user_id), "member")
        user = _copy(self.bot_user) if user_id == self.bot_id else self.user(user_id)
        return _member(user, status)


def _short(payload: JSONDict, limit: int = 160) -> str:
    text = json.dumps(payload, ensure_ascii=False, default=repr)
    return text if len(text) <= limit else text[: limit - 3] + "..."
