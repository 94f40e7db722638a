"""Tests for the fake Telegram Bot API used by the bot's integration tests."""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import telegram
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

try:
    from tests.botapi_fake import (
        BotApiFake,
        TelegramHTMLError,
        parse_telegram_html,
        parse_telegram_html_entities,
        utf16_len,
    )
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import (  # type: ignore[no-redef]
        BotApiFake,
        TelegramHTMLError,
        parse_telegram_html,
        parse_telegram_html_entities,
        utf16_len,
    )


# One shared client: creating an httpx.Client costs ~30ms (SSL context setup).
_http = httpx.Client(timeout=10)


@pytest.fixture(scope="module", autouse=True)
def _close_http_client() -> Iterator[None]:
    yield
    _http.close()


@pytest.fixture
def fake() -> Iterator[BotApiFake]:
    with BotApiFake() as server:
        yield server


def form_call(fake: BotApiFake, method: str, **params: Any) -> httpx.Response:
    """POST the way PTB does: form fields, non-strings JSON-encoded."""
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return _http.post(f"{fake.base_url}{fake.token}/{method}", data=data)


def json_call(fake: BotApiFake, method: str, **params: Any) -> httpx.Response:
    return _http.post(f"{fake.base_url}{fake.token}/{method}", json=params)


def ok_result(response: httpx.Response) -> Any:
    body = response.json()
    assert response.status_code == 200, body
    assert body["ok"] is True
    return body["result"]


def error_of(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert body["ok"] is False
    assert body["error_code"] == response.status_code
    return response.status_code, body["description"]


def keyboard(*data: str) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": d, "callback_data": d} for d in data]]}


# --------------------------------------------------------------------------
# HTML validator
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "visible"),
    [
        ("plain text", "plain text"),
        ("<b>bold <i>both</i></b> after", "bold both after"),
        ("<B>upper-case tags</B>", "upper-case tags"),
        ("<strong>s</strong><em>e</em><ins>i</ins><strike>k</strike><del>d</del>", "seikd"),
        ("AT&amp;T", "AT&T"),
        ("&lt;tag&gt; &quot;q&quot;", '<tag> "q"'),
        ("smile &#128512;", "smile \U0001f600"),
        ("apostrophe &#x27;", "apostrophe '"),
        ('<a href="https://example.org/?a=1&amp;b=2">link</a>', "link"),
        ("<a href='x'>single quoted</a>", "single quoted"),
        ('<span class="tg-spoiler">hidden</span>', "hidden"),
        ("<tg-spoiler>hidden</tg-spoiler>", "hidden"),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1"),
        ("<blockquote expandable>long</blockquote>", "long"),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍"),
        ("a > b is fine unescaped", "a > b is fine unescaped"),
        ("<b>closing with spaces</b >", "closing with spaces"),
    ],
)
def test_parse_telegram_html_accepts_valid_markup(html: str, visible: str) -> None:
    assert parse_telegram_html(html) == visible


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<div>block</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("I <3 you", 'Unsupported start tag "3"'),
        ("line<br>break", 'Unsupported start tag "br"'),
        ("AT&T", 'Unescaped "&"'),
        ("fish & chips", 'Unescaped "&"'),
        ("&nbsp;", 'Unescaped "&"'),
        ("&#0;", "Invalid numeric character reference"),
        ("<b><i>crossed</b></i>", 'expected "</i>", found "</b>"'),
        ("stray</b>", "Unexpected end tag at byte offset 5"),
        ("<a>no href</a>", 'Tag "a" must have a non-empty "href" attribute'),
        ('<span class="other">x</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<tg-emoji>x</tg-emoji>", '"emoji-id"'),
        ('<a href="x', "Unclosed start tag at byte offset 0"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("ü<div>", 'Unsupported start tag "div" at byte offset 2'),
    ],
)
def test_parse_telegram_html_rejects_what_telegram_rejects(html: str, message: str) -> None:
    with pytest.raises(TelegramHTMLError) as excinfo:
        parse_telegram_html(html)
    assert message in str(excinfo.value)


def test_parse_telegram_html_entities_use_utf16_offsets() -> None:
    text, entities = parse_telegram_html_entities("😀 <b>bold</b> <a href='https://x.org'>l</a>")
    assert text == "😀 bold l"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 4},
        {"type": "text_link", "offset": 8, "length": 1, "url": "https://x.org"},
    ]


def test_pre_with_language_code_becomes_one_pre_entity() -> None:
    _, entities = parse_telegram_html_entities('<pre><code class="language-py">x</code></pre>')
    assert entities == [{"type": "pre", "offset": 0, "length": 1, "language": "py"}]


@settings(database=None, max_examples=300)  # no .hypothesis/ directory in the repo
@given(st.text())
def test_html_escaped_text_always_parses_back_to_itself(text: str) -> None:
    assert parse_telegram_html(html.escape(text)) == text
    assert parse_telegram_html(f"<b>{html.escape(text, quote=False)}</b>") == text


def test_utf16_len_counts_astral_characters_twice() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("😀") == 2
    assert utf16_len("é") == 1


# --------------------------------------------------------------------------
# HTTP surface and payload decoding
# --------------------------------------------------------------------------


def test_get_me_returns_configured_bot_user() -> None:
    with BotApiFake(bot_username="other_bot") as fake:
        me = ok_result(form_call(fake, "getMe"))
    assert me["id"] == 777
    assert me["is_bot"] is True
    assert me["username"] == "other_bot"
    assert me["can_join_groups"] is True
    assert me["supports_inline_queries"] is True


def test_any_token_is_accepted_and_recorded(fake: BotApiFake) -> None:
    response = _http.post(f"{fake.base_url}123:other/getMe")
    assert ok_result(response)["id"] == 777
    assert fake.tokens == ["123:other"]


def test_path_without_bot_token_prefix_is_404(fake: BotApiFake) -> None:
    response = _http.post(f"http://127.0.0.1:{fake.port}/getMe")
    assert error_of(response) == (404, "Not Found")
    assert fake.errors and "prefix" in fake.errors[0]


def test_unknown_method_is_400_not_404_and_recorded_in_errors(fake: BotApiFake) -> None:
    code, description = error_of(form_call(fake, "sendPigeon", chat_id=1))
    assert code == 400
    assert "method not implemented in fake" in description
    assert fake.errors == ["sendPigeon: method not implemented in fake"]


def test_method_names_are_case_insensitive(fake: BotApiFake) -> None:
    ok_result(form_call(fake, "getme"))
    assert fake.calls[-1].method == "getMe"


def test_form_payload_is_decoded_to_python_types(fake: BotApiFake) -> None:
    form_call(
        fake,
        "sendMessage",
        chat_id=-100123,
        text="123",
        reply_markup=keyboard("a"),
        disable_notification=True,
    )
    payload = fake.wait_for("sendMessage")
    assert payload == {
        "chat_id": -100123,
        "text": "123",
        "reply_markup": keyboard("a"),
        "disable_notification": True,
    }


def test_json_payload_with_nested_json_string_is_decoded(fake: BotApiFake) -> None:
    json_call(fake, "sendMessage", chat_id="42", text="hi", reply_markup=json.dumps(keyboard("a")))
    payload = fake.wait_for("sendMessage")
    assert payload["chat_id"] == 42
    assert payload["reply_markup"] == keyboard("a")


def test_multipart_payload_is_decoded(fake: BotApiFake) -> None:
    response = _http.post(
        f"{fake.base_url}{fake.token}/sendMessage",
        data={"chat_id": "42", "text": "with file"},
        files={"document": ("a.txt", b"content", "text/plain")},
    )
    ok_result(response)
    payload = fake.wait_for("sendMessage")
    assert payload["chat_id"] == 42
    assert payload["text"] == "with file"
    assert payload["document"]["data"] == b"content"


def test_a_sent_document_can_be_fetched_with_get_file_and_downloaded(fake: BotApiFake) -> None:
    response = _http.post(
        f"{fake.base_url}{fake.token}/sendDocument",
        data={"chat_id": "42"},
        files={"document": ("subs.json", b'{"a": 1}', "application/json")},
    )
    file_id = ok_result(response)["document"]["file_id"]
    info = ok_result(form_call(fake, "getFile", file_id=file_id))
    url = f"http://127.0.0.1:{fake.port}/file/bot{fake.token}/{info['file_path']}"
    download = _http.get(url)
    assert (200, b'{"a": 1}') == (download.status_code, download.content)
    assert [info["file_path"]] == fake.downloads


def test_a_users_document_is_delivered_and_downloadable(fake: BotApiFake) -> None:
    fake.user_document(b"data", "x.json", caption="/subscriptions import")
    message = ok_result(form_call(fake, "getUpdates"))[0]["message"]
    assert "/subscriptions import" == message["caption"]
    assert [{"type": "bot_command", "offset": 0, "length": 14}] == message["caption_entities"]
    info = ok_result(form_call(fake, "getFile", file_id=message["document"]["file_id"]))
    assert 4 == info["file_size"]


def test_an_unknown_file_is_refused_by_get_file_and_the_file_server(fake: BotApiFake) -> None:
    assert 400 == form_call(fake, "getFile", file_id="nope").status_code
    url = f"http://127.0.0.1:{fake.port}/file/bot{fake.token}/documents/nope"
    assert 404 == _http.get(url).status_code
    assert fake.downloads == []


# --------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------


def test_send_message_returns_message_with_per_chat_ids(fake: BotApiFake) -> None:
    first = ok_result(
        form_call(fake, "sendMessage", chat_id=42, text="<b>one</b>", parse_mode="HTML")
    )
    second = ok_result(form_call(fake, "sendMessage", chat_id=42, text="two"))
    other = ok_result(form_call(fake, "sendMessage", chat_id=-7, text="group"))
    assert (first["message_id"], second["message_id"], other["message_id"]) == (1, 2, 1)
    assert first["text"] == "one"
    assert first["entities"] == [{"type": "bold", "offset": 0, "length": 3}]
    assert first["from"]["id"] == 777
    assert first["chat"] == {
        "id": 42,
        "type": "private",
        "first_name": "User42",
        "username": "user42",
    }
    assert other["chat"]["type"] == "group"
    assert isinstance(first["date"], int)
    assert [p["text"] for p in fake.sent(42)] == ["<b>one</b>", "two"]


@pytest.mark.parametrize(
    ("text", "parse_mode", "description"),
    [
        ("", None, "Bad Request: message text is empty"),
        ("<b></b>", "HTML", "Bad Request: message text is empty"),
        ("a" * 4097, None, "Bad Request: message is too long"),
        ("<b>" + "a" * 4097 + "</b>", "HTML", "Bad Request: message is too long"),
        ("😀" * 2049, None, "Bad Request: message is too long"),
        ("<div>x</div>", "HTML", "Bad Request: can't parse entities: Unsupported start tag"),
        ("AT&T", "HTML", "Bad Request: can't parse entities: Unescaped"),
    ],
)
def test_send_message_rejections_are_recorded(
    fake: BotApiFake, text: str, parse_mode: str | None, description: str
) -> None:
    params: dict[str, Any] = {"chat_id": 42, "text": text}
    if parse_mode:
        params["parse_mode"] = parse_mode
    code, got = error_of(form_call(fake, "sendMessage", **params))
    assert code == 400
    assert got.startswith(description)
    assert [(r.method, r.payload["text"]) for r in fake.rejections] == [("sendMessage", text)]
    assert fake.sent() == []


def test_visible_length_limit_is_exactly_4096_utf16_units(fake: BotApiFake) -> None:
    assert ok_result(
        form_call(
            fake, "sendMessage", chat_id=1, text="<i>" + "a" * 4096 + "</i>", parse_mode="HTML"
        )
    )
    assert ok_result(form_call(fake, "sendMessage", chat_id=1, text="😀" * 2048))
    assert ok_result(
        form_call(fake, "sendMessage", chat_id=1, text="&amp;" * 4096, parse_mode="HTML")
    )
    assert fake.rejections == []


def test_html_is_not_validated_without_parse_mode(fake: BotApiFake) -> None:
    assert (
        ok_result(form_call(fake, "sendMessage", chat_id=1, text="<div>AT&T"))["text"]
        == "<div>AT&T"
    )


@pytest.mark.parametrize(
    ("button", "description"),
    [
        ({"text": "x", "callback_data": "d" * 65}, "Bad Request: BUTTON_DATA_INVALID"),
        ({"text": "x", "callback_data": "é" * 33}, "Bad Request: BUTTON_DATA_INVALID"),
        ({"text": "x", "callback_data": ""}, "Bad Request: BUTTON_DATA_INVALID"),
        ({"text": "x"}, "Text buttons are unallowed"),
        ({"text": "x", "url": "javascript:alert(1)"}, "Bad Request: BUTTON_URL_INVALID"),
    ],
)
def test_inline_keyboard_validation(
    fake: BotApiFake, button: dict[str, Any], description: str
) -> None:
    response = form_call(
        fake, "sendMessage", chat_id=1, text="t", reply_markup={"inline_keyboard": [[button]]}
    )
    assert error_of(response) == (400, error_of(response)[1])
    assert description in error_of(response)[1]
    assert len(fake.rejections) == 1


def test_callback_data_of_exactly_64_bytes_is_accepted(fake: BotApiFake) -> None:
    message = ok_result(
        form_call(fake, "sendMessage", chat_id=1, text="t", reply_markup=keyboard("d" * 64))
    )
    assert message["reply_markup"] == keyboard("d" * 64)


def test_edit_message_text_updates_the_stored_message(fake: BotApiFake) -> None:
    sent = ok_result(
        form_call(fake, "sendMessage", chat_id=5, text="old", reply_markup=keyboard("a"))
    )
    edited = ok_result(
        form_call(
            fake,
            "editMessageText",
            chat_id=5,
            message_id=sent["message_id"],
            text="<i>new</i>",
            parse_mode="HTML",
        )
    )
    assert edited["text"] == "new"
    assert edited["entities"] == [{"type": "italic", "offset": 0, "length": 3}]
    assert "reply_markup" not in edited  # an edit without reply_markup drops the keyboard
    assert "edit_date" in edited
    assert fake.bot_messages(5)[0]["text"] == "new"


def test_edit_message_text_rejects_unknown_unchanged_and_bad_html(fake: BotApiFake) -> None:
    sent = ok_result(form_call(fake, "sendMessage", chat_id=5, text="same"))
    missing = form_call(fake, "editMessageText", chat_id=5, message_id=99, text="x")
    unchanged = form_call(
        fake, "editMessageText", chat_id=5, message_id=sent["message_id"], text="same"
    )
    bad_html = form_call(
        fake,
        "editMessageText",
        chat_id=5,
        message_id=sent["message_id"],
        text="<b>",
        parse_mode="HTML",
    )
    assert error_of(missing) == (400, "Bad Request: message to edit not found")
    assert error_of(unchanged)[1].startswith("Bad Request: message is not modified")
    assert error_of(bad_html)[1].startswith("Bad Request: can't parse entities")
    assert [r.method for r in fake.rejections] == ["editMessageText"] * 3


def test_user_messages_cannot_be_edited_by_the_bot(fake: BotApiFake) -> None:
    fake.user_message("hello", chat_id=5)
    response = form_call(fake, "editMessageText", chat_id=5, message_id=1, text="changed")
    assert error_of(response) == (400, "Bad Request: message can't be edited")


def test_reply_to_a_missing_message_is_rejected_unless_allowed(fake: BotApiFake) -> None:
    fake.user_message("question", chat_id=5)
    ok = ok_result(
        form_call(fake, "sendMessage", chat_id=5, text="answer", reply_parameters={"message_id": 1})
    )
    assert ok["reply_to_message"]["text"] == "question"
    missing = form_call(
        fake, "sendMessage", chat_id=5, text="x", reply_parameters={"message_id": 77}
    )
    assert error_of(missing) == (400, "Bad Request: message to be replied not found")
    allowed = form_call(
        fake,
        "sendMessage",
        chat_id=5,
        text="x",
        reply_parameters={"message_id": 77, "allow_sending_without_reply": True},
    )
    assert "reply_to_message" not in ok_result(allowed)


def test_delete_message(fake: BotApiFake) -> None:
    sent = ok_result(form_call(fake, "sendMessage", chat_id=5, text="bye"))
    assert (
        ok_result(form_call(fake, "deleteMessage", chat_id=5, message_id=sent["message_id"]))
        is True
    )
    again = form_call(fake, "deleteMessage", chat_id=5, message_id=sent["message_id"])
    assert error_of(again) == (400, "Bad Request: message to delete not found")


# --------------------------------------------------------------------------
# Updates
# --------------------------------------------------------------------------


def test_get_updates_offset_confirms_and_drops_updates(fake: BotApiFake) -> None:
    first = fake.user_message("one")
    second = fake.user_message("two")
    third = fake.user_message("three")
    assert [u["update_id"] for u in ok_result(form_call(fake, "getUpdates"))] == [
        first,
        second,
        third,
    ]
    assert [u["update_id"] for u in ok_result(form_call(fake, "getUpdates", limit=1))] == [first]
    assert [u["update_id"] for u in ok_result(form_call(fake, "getUpdates", offset=second))] == [
        second,
        third,
    ]
    # Confirmed updates are gone for good, even with a lower offset later.
    assert [u["update_id"] for u in ok_result(form_call(fake, "getUpdates", offset=1))] == [
        second,
        third,
    ]
    assert [u["update_id"] for u in ok_result(form_call(fake, "getUpdates", offset=-1))] == [third]
    assert ok_result(form_call(fake, "getUpdates", offset=third + 1)) == []


def test_get_updates_long_poll_is_woken_by_push_update() -> None:
    with BotApiFake(max_poll_timeout=30) as fake:
        results: list[Any] = []
        poller = threading.Thread(
            target=lambda: results.append(ok_result(form_call(fake, "getUpdates", timeout=30)))
        )
        started = time.monotonic()
        poller.start()
        update_id = fake.user_message("wake up")
        poller.join(timeout=10)
        assert not poller.is_alive()
        assert time.monotonic() - started < 10
        assert [u["update_id"] for u in results[0]] == [update_id]


def test_get_updates_long_poll_timeout_is_capped() -> None:
    with BotApiFake(max_poll_timeout=0.2) as fake:
        started = time.monotonic()
        assert ok_result(form_call(fake, "getUpdates", timeout=50)) == []
        assert 0.15 < time.monotonic() - started < 5


def test_close_releases_a_pending_long_poll() -> None:
    fake = BotApiFake(max_poll_timeout=30)
    errors: list[BaseException] = []

    def poll() -> None:
        try:
            form_call(fake, "getUpdates", timeout=30)
        except httpx.HTTPError as exc:  # connection shut down is fine too
            errors.append(exc)

    poller = threading.Thread(target=poll)
    poller.start()
    fake.close()
    poller.join(timeout=10)
    assert not poller.is_alive()


def test_allowed_updates_filter_and_default(fake: BotApiFake) -> None:
    fake.push_update({"chat_member": {"chat": {"id": -1, "type": "group"}}})
    message = fake.user_message("hi")
    # chat_member is not delivered unless asked for, like on Telegram.
    assert [u["update_id"] for u in ok_result(form_call(fake, "getUpdates"))] == [message]
    fake.inline_query("q")
    callback_source = ok_result(
        form_call(fake, "sendMessage", chat_id=1001, text="t", reply_markup=keyboard("x"))
    )
    callback = fake.callback_query(callback_source, "x")
    got = ok_result(
        form_call(fake, "getUpdates", offset=message + 1, allowed_updates=["callback_query"])
    )
    assert [u["update_id"] for u in got] == [callback]


def test_delete_webhook_can_drop_pending_updates(fake: BotApiFake) -> None:
    fake.user_message("old")
    assert ok_result(form_call(fake, "deleteWebhook", drop_pending_updates=True)) is True
    assert fake.pending_updates == []


def test_get_updates_conflicts_with_an_active_webhook(fake: BotApiFake) -> None:
    ok_result(form_call(fake, "setWebhook", url="https://example.org/hook"))
    assert ok_result(form_call(fake, "getWebhookInfo"))["url"] == "https://example.org/hook"
    code, description = error_of(form_call(fake, "getUpdates"))
    assert code == 409 and "webhook is active" in description
    ok_result(form_call(fake, "deleteWebhook"))
    assert ok_result(form_call(fake, "getUpdates")) == []


def test_user_message_builds_command_entities(fake: BotApiFake) -> None:
    fake.user_message(
        "/start@sitrep_test_bot now", chat_id=-1001234567890, user_id=9, message_thread_id=3
    )
    fake.user_message("no command here")
    fake.user_message("/help")
    updates = ok_result(form_call(fake, "getUpdates"))
    first, plain, bare = (u["message"] for u in updates)
    assert first["entities"] == [{"type": "bot_command", "offset": 0, "length": 22}]
    assert first["chat"]["type"] == "supergroup"
    assert first["chat"]["is_forum"] is True
    assert first["from"]["id"] == 9
    assert first["message_thread_id"] == 3
    assert "entities" not in plain
    assert plain["chat"] == {
        "id": 1001,
        "type": "private",
        "first_name": "User1001",
        "username": "user1001",
    }
    assert bare["entities"] == [{"type": "bot_command", "offset": 0, "length": 5}]
    assert telegram.Update.de_json(updates[0], None).message.text == "/start@sitrep_test_bot now"


def test_callback_query_uses_current_message_and_checks_buttons(fake: BotApiFake) -> None:
    sent = ok_result(
        form_call(fake, "sendMessage", chat_id=1001, text="pick", reply_markup=keyboard("a", "b"))
    )
    ok_result(
        form_call(
            fake,
            "editMessageText",
            chat_id=1001,
            message_id=sent["message_id"],
            text="pick again",
            reply_markup=keyboard("c"),
        )
    )
    with pytest.raises(ValueError, match="no button"):
        fake.callback_query(sent, "a")
    update_id = fake.callback_query(sent, "c")
    query = ok_result(form_call(fake, "getUpdates"))[0]["callback_query"]
    assert query["message"]["text"] == "pick again"
    assert query["data"] == "c"
    assert query["from"]["id"] == 1001
    ok_result(form_call(fake, "answerCallbackQuery", callback_query_id=query["id"], text="done"))
    assert fake.wait_for_reply(update_id)["text"] == "done"
    twice = form_call(fake, "answerCallbackQuery", callback_query_id=query["id"])
    assert error_of(twice)[1].startswith("Bad Request: query is too old")
    unknown = form_call(fake, "answerCallbackQuery", callback_query_id="123")
    assert error_of(unknown)[1].startswith("Bad Request: query is too old")


def test_inline_query_answers_are_validated(fake: BotApiFake) -> None:
    update_id = fake.inline_query("kyiv", user_id=5)
    query = ok_result(form_call(fake, "getUpdates"))[0]["inline_query"]
    assert query["query"] == "kyiv" and query["from"]["id"] == 5

    def article(result_id: str, text: str) -> dict[str, Any]:
        return {
            "type": "article",
            "id": result_id,
            "title": "t",
            "input_message_content": {"message_text": text, "parse_mode": "HTML"},
        }

    duplicate = form_call(
        fake,
        "answerInlineQuery",
        inline_query_id=query["id"],
        results=[article("1", "a"), article("1", "b")],
    )
    assert error_of(duplicate) == (400, "Bad Request: RESULT_ID_DUPLICATE")
    bad_html = form_call(
        fake, "answerInlineQuery", inline_query_id=query["id"], results=[article("1", "<p>")]
    )
    assert "can't parse entities" in error_of(bad_html)[1]
    ok_result(
        form_call(
            fake,
            "answerInlineQuery",
            inline_query_id=query["id"],
            results=[article("1", "<b>ok</b>")],
        )
    )
    assert fake.wait_for_reply(update_id)["results"][0]["id"] == "1"
    assert len(fake.rejections) == 2


def test_my_chat_member_changes_membership_and_forbids_sending(fake: BotApiFake) -> None:
    fake.my_chat_member(-42, "administrator")
    update = ok_result(form_call(fake, "getUpdates"))[0]
    parsed = telegram.Update.de_json(update, None).my_chat_member
    assert (parsed.old_chat_member.status, parsed.new_chat_member.status) == (
        "left",
        "administrator",
    )
    assert (
        ok_result(form_call(fake, "getChatMember", chat_id=-42, user_id=777))["status"]
        == "administrator"
    )

    fake.my_chat_member(-42, "kicked")
    assert error_of(form_call(fake, "sendMessage", chat_id=-42, text="hi")) == (
        403,
        "Forbidden: bot was kicked from the group chat",
    )
    fake.my_chat_member(1001, "kicked")  # a user blocking the bot
    assert error_of(form_call(fake, "sendMessage", chat_id=1001, text="hi")) == (
        403,
        "Forbidden: bot was blocked by the user",
    )
    assert fake.rejections == []
    assert [f.error_code for f in fake.failures] == [403, 403]


def test_set_member_status_controls_get_chat_member(fake: BotApiFake) -> None:
    fake.set_member_status(-5, 9, "administrator")
    fake.set_member_status(-5, 10, "restricted")
    admin = ok_result(form_call(fake, "getChatMember", chat_id=-5, user_id=9))
    restricted = ok_result(form_call(fake, "getChatMember", chat_id=-5, user_id=10))
    default = ok_result(form_call(fake, "getChatMember", chat_id=-5, user_id=11))
    assert isinstance(telegram.ChatMember.de_json(admin, None), telegram.ChatMemberAdministrator)
    assert isinstance(telegram.ChatMember.de_json(restricted, None), telegram.ChatMemberRestricted)
    assert default["status"] == "member"
    with pytest.raises(ValueError):
        fake.set_member_status(-5, 9, "emperor")


def test_migrate_pushes_both_service_messages_and_redirects(fake: BotApiFake) -> None:
    update_id = fake.migrate(-5, -1000000000005)
    updates = ok_result(form_call(fake, "getUpdates"))
    assert updates[0]["update_id"] == update_id
    assert updates[0]["message"]["migrate_to_chat_id"] == -1000000000005
    assert updates[1]["message"]["migrate_from_chat_id"] == -5
    assert updates[1]["message"]["chat"]["type"] == "supergroup"
    response = form_call(fake, "sendMessage", chat_id=-5, text="hi")
    assert response.json()["parameters"] == {"migrate_to_chat_id": -1000000000005}
    ok_result(form_call(fake, "sendMessage", chat_id=-1000000000005, text="hi"))


def test_push_update_assigns_increasing_ids(fake: BotApiFake) -> None:
    first = fake.push_update({"update_id": 5, "message": {"text": "x"}})
    second = fake.push_update({"edited_message": {"text": "y"}})
    assert second == first + 1
    assert fake.pending_updates[0] == {"update_id": first, "message": {"text": "x"}}


# --------------------------------------------------------------------------
# Injection, delays, rate limits
# --------------------------------------------------------------------------


def test_inject_fails_the_next_calls_then_recovers(fake: BotApiFake) -> None:
    fake.inject("sendMessage", 429, retry_after=7, times=2)
    for _ in range(2):
        response = form_call(fake, "sendMessage", chat_id=1, text="x")
        assert response.status_code == 429
        assert response.json()["parameters"] == {"retry_after": 7}
        assert response.json()["description"] == "Too Many Requests: retry after 7"
    ok_result(form_call(fake, "sendMessage", chat_id=1, text="x"))
    assert fake.rejections == []
    assert [f.error_code for f in fake.failures] == [429, 429]


def test_inject_can_target_one_chat(fake: BotApiFake) -> None:
    fake.inject("sendMessage", 403, chat_id=-9)
    ok_result(form_call(fake, "sendMessage", chat_id=1, text="x"))
    assert error_of(form_call(fake, "sendMessage", chat_id=-9, text="x")) == (
        403,
        "Forbidden: bot was kicked from the group chat",
    )
    ok_result(form_call(fake, "sendMessage", chat_id=-9, text="x"))


def test_inject_server_errors_and_get_updates(fake: BotApiFake) -> None:
    fake.inject("getUpdates", 502)
    fake.inject("getMe", 500, "Internal Server Error: try later", times=None)
    assert error_of(form_call(fake, "getUpdates")) == (502, "Bad Gateway")
    assert ok_result(form_call(fake, "getUpdates")) == []
    assert error_of(form_call(fake, "getMe")) == (500, "Internal Server Error: try later")
    assert error_of(form_call(fake, "getMe"))[0] == 500
    fake.clear_injections()
    ok_result(form_call(fake, "getMe"))


def test_delay_slows_down_answers(fake: BotApiFake) -> None:
    fake.delay("getMe", 0.3)
    started = time.monotonic()
    ok_result(form_call(fake, "getMe"))
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    ok_result(form_call(fake, "getMe"))
    assert time.monotonic() - started < 0.3


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_enforce_limits_global_thirty_per_second() -> None:
    clock = ManualClock()
    with BotApiFake(enforce_limits=True, clock=clock) as fake:
        for i in range(30):
            ok_result(form_call(fake, "sendMessage", chat_id=i + 1, text="x"))
        response = form_call(fake, "sendMessage", chat_id=99, text="x")
        assert response.status_code == 429
        assert response.json()["parameters"]["retry_after"] == 1
        clock.now += 1.01
        ok_result(form_call(fake, "sendMessage", chat_id=99, text="x"))
        assert fake.too_many_requests == 1
        assert fake.rejections == []


def test_enforce_limits_twenty_per_minute_per_group() -> None:
    clock = ManualClock()
    with BotApiFake(enforce_limits=True, clock=clock) as fake:
        for _ in range(20):
            clock.now += 0.5
            ok_result(form_call(fake, "sendMessage", chat_id=-5, text="x"))
        response = form_call(fake, "sendMessage", chat_id=-5, text="x")
        assert response.status_code == 429
        assert response.json()["parameters"]["retry_after"] == 51  # oldest send was 50.5s ago
        ok_result(form_call(fake, "sendMessage", chat_id=-6, text="other group is fine"))
        ok_result(form_call(fake, "sendMessage", chat_id=5, text="private is fine"))
        clock.now += 51
        ok_result(form_call(fake, "sendMessage", chat_id=-5, text="x"))
        assert fake.too_many_requests == 1


def test_limits_are_off_by_default(fake: BotApiFake) -> None:
    for _ in range(40):
        ok_result(form_call(fake, "sendMessage", chat_id=-5, text="x"))


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------


def test_set_and_get_my_commands_per_scope(fake: BotApiFake) -> None:
    commands = [
        {"command": "start", "description": "Start"},
        {"command": "help", "description": "Help"},
    ]
    assert ok_result(form_call(fake, "setMyCommands", commands=commands)) is True
    group_scope = {"type": "all_group_chats"}
    ok_result(form_call(fake, "setMyCommands", commands=commands[:1], scope=group_scope))
    assert ok_result(form_call(fake, "getMyCommands")) == commands
    assert ok_result(form_call(fake, "getMyCommands", scope=group_scope)) == commands[:1]
    assert fake.commands(group_scope) == commands[:1]
    ok_result(form_call(fake, "deleteMyCommands"))
    assert ok_result(form_call(fake, "getMyCommands")) == []


@pytest.mark.parametrize(
    ("command", "description"),
    [
        ({"command": "Start", "description": "x"}, "Bad Request: BOT_COMMAND_INVALID"),
        ({"command": "a" * 33, "description": "x"}, "Bad Request: BOT_COMMAND_INVALID"),
        ({"command": "ok", "description": ""}, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"),
    ],
)
def test_set_my_commands_validation(
    fake: BotApiFake, command: dict[str, str], description: str
) -> None:
    assert error_of(form_call(fake, "setMyCommands", commands=[command])) == (400, description)


# --------------------------------------------------------------------------
# Waiting
# --------------------------------------------------------------------------


def test_wait_for_walks_through_calls_in_order(fake: BotApiFake) -> None:
    for text in ("one", "two", "three"):
        form_call(fake, "sendMessage", chat_id=1, text=text)
    assert fake.wait_for("sendMessage", lambda p: p["text"] == "two")["text"] == "two"
    assert fake.wait_for("sendMessage")["text"] == "one"
    assert fake.wait_for("sendMessage")["text"] == "three"
    assert fake.calls[0] == ("sendMessage", {"chat_id": 1, "text": "one"})


def test_wait_for_blocks_until_the_call_arrives(fake: BotApiFake) -> None:
    sender = threading.Thread(target=lambda: form_call(fake, "sendMessage", chat_id=3, text="late"))
    sender.start()
    assert fake.wait_for("sendMessage", timeout=10)["text"] == "late"
    sender.join()


def test_wait_for_timeout_lists_recent_calls(fake: BotApiFake) -> None:
    form_call(fake, "sendMessage", chat_id=1, text="something else")
    form_call(fake, "getUpdates")
    with pytest.raises(AssertionError) as excinfo:
        fake.wait_for("editMessageText", timeout=0.05)
    message = str(excinfo.value)
    assert "no a editMessageText call within 0.05s" in message
    assert "sendMessage [ok]" in message and "something else" in message
    assert "getUpdates calls: 1" in message


def test_wait_for_message_returns_the_message_object(fake: BotApiFake) -> None:
    form_call(fake, "sendMessage", chat_id=1, text="<b>x</b>", parse_mode="HTML")
    form_call(fake, "sendMessage", chat_id=2, text="<b>y</b>", parse_mode="HTML")
    message = fake.wait_for_message(chat_id=2)
    assert message["text"] == "y" and message["message_id"] == 1


def test_wait_for_reply_only_considers_calls_after_the_update(fake: BotApiFake) -> None:
    form_call(fake, "sendMessage", chat_id=1001, text="before")
    update_id = fake.user_message("/start")
    form_call(fake, "sendMessage", chat_id=2, text="other chat")
    form_call(fake, "sendMessage", chat_id=1001, text="after")
    assert fake.wait_for_reply(update_id)["text"] == "after"


# --------------------------------------------------------------------------
# Real python-telegram-bot against the fake
# --------------------------------------------------------------------------


@pytest.mark.asyncio
# PTB itself warns about RetryAfter.retry_after's future type when building the error.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_ptb_bot_against_fake(fake: BotApiFake) -> None:
    async with telegram.Bot(fake.token, base_url=fake.base_url) as bot:
        me = await bot.get_me()
        assert me.username == "sitrep_test_bot" and me.id == 777

        message = await bot.send_message(
            -100777,
            "<b>Sitrep</b> &amp; <a href='https://example.org'>source</a>",
            parse_mode="HTML",
            reply_markup=telegram.InlineKeyboardMarkup(
                [[telegram.InlineKeyboardButton("More", callback_data="more:1")]]
            ),
        )
        assert message.text == "Sitrep & source"
        assert message.entities[1].url == "https://example.org"
        assert message.reply_markup.inline_keyboard[0][0].callback_data == "more:1"

        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(1, "<b>unclosed", parse_mode="HTML")
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(1, "x" * 4097)

        fake.inject("sendMessage", 429, retry_after=5)
        with pytest.raises(RetryAfter, match="Retry in 5 seconds"):
            await bot.send_message(1, "flood")

        fake.inject("sendMessage", 403)
        with pytest.raises(Forbidden, match="kicked from the group chat"):
            await bot.send_message(-5, "gone")

        fake.migrate(-6, -1000000000006)
        with pytest.raises(ChatMigrated) as migrated:
            await bot.send_message(-6, "old group")
        assert migrated.value.new_chat_id == -1000000000006

        edited = await message.edit_text("<i>updated</i>", parse_mode="HTML")
        assert edited.text == "updated"
        assert await bot.set_my_commands([("start", "Start the bot")])
        assert [c.command for c in await bot.get_my_commands()] == ["start"]

    assert [r.description.split(":")[1].strip() for r in fake.rejections] == [
        "can't parse entities",
        "message is too long",
    ]
    assert fake.errors == []


@pytest.mark.asyncio
async def test_ptb_application_polls_and_answers_commands_and_callbacks() -> None:
    async def start(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_html(
            f"Hello <b>{update.effective_user.first_name}</b>",
            reply_markup=telegram.InlineKeyboardMarkup(
                [[telegram.InlineKeyboardButton("Refresh", callback_data="refresh")]]
            ),
        )

    async def refresh(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer("Refreshed")
        await update.callback_query.edit_message_text("Fresh <i>news</i>", parse_mode="HTML")

    with BotApiFake(max_poll_timeout=0.2) as fake:
        app = Application.builder().token(fake.token).base_url(fake.base_url).build()
        app.add_handler(CommandHandler("start", start))
        app.add_handler(CallbackQueryHandler(refresh))
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0, drop_pending_updates=True)
            try:
                fake.user_message(
                    "/start@sitrep_test_bot", chat_id=-100300, user_id=55, first_name="Olena"
                )
                greeting = await fake.wait_for_message_async(chat_id=-100300)
                assert greeting["text"] == "Hello Olena"

                update_id = fake.callback_query(greeting, "refresh", user_id=55)
                answer = await fake.wait_for_reply_async(update_id)
                assert answer["text"] == "Refreshed"
                edit = await fake.wait_for_async("editMessageText")
                assert edit["text"] == "Fresh <i>news</i>"
                assert fake.bot_messages(-100300)[0]["text"] == "Fresh news"
            finally:
                await app.updater.stop()
                await app.stop()
        assert fake.rejections == []
        assert fake.errors == []
        # The updater confirmed everything it processed on shutdown.
        assert fake.pending_updates == []
