"""The Ukrainian catalogue is complete: every key in every language, every key the code asks
for, every kind and target the extractor writes (bot/data/kinds.toml); and a Ukrainian user is
answered in Ukrainian over the Bot API fake (replies, help and the command menu)."""

from __future__ import annotations

import logging
import re
import string
from pathlib import Path

import pytest

from bot import registry
from bot.catalogue import LABELS_UK, LANGUAGES, STRINGS, language, t
from bot.kinds import kind_of, table
from store.db import Store
from store.extract.taxonomy import KINDS, TARGETS

try:
    from tests.botapi_fake import BotApiFake, parse_telegram_html
    from tests.running_bot import assert_clean_logs, seeded_bot
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import BotApiFake, parse_telegram_html  # type: ignore[no-redef]
    from running_bot import assert_clean_logs, seeded_bot  # type: ignore[no-redef]

BOT = Path(__file__).resolve().parent.parent / "bot"
UK = 5151


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_is_in_every_language_with_the_same_placeholders(key):
    assert set(STRINGS[key]) == set(LANGUAGES), key
    assert all(STRINGS[key][lang].strip() for lang in LANGUAGES), key
    assert _fields(STRINGS[key]["en"]) == _fields(STRINGS[key]["uk"]), key


def test_every_key_the_code_asks_for_is_in_the_catalogue():
    asked = set()
    for path in BOT.glob("*.py"):
        asked |= set(re.findall(r"\bt\(\s*\"([a-z.]+)\"", path.read_text(encoding="utf-8")))
    asked |= {f"{what}.{n}" for what in ("events", "articles") for n in ("one", "count")}
    asked |= {f"cmd.{c.name}" for c in registry.COMMANDS}
    asked |= {f"stats.{what}" for what in ("killed", "injured")}
    assert sorted(asked - set(STRINGS)) == []


def test_every_kind_and_target_the_extractor_writes_has_a_ukrainian_label():
    kinds = {k.name for k in KINDS if kind_of(k.name) is None or not kind_of(k.name).uk}
    phrases = table()[1]
    targets = {t.name for t in TARGETS if not phrases.get(t.name, {}).get("uk")}
    assert sorted(kinds | targets) == []


def test_a_missing_key_fails_loudly():
    with pytest.raises(KeyError):
        t("no.such.key", "uk")


@pytest.mark.parametrize(
    ("code", "lang"), [("uk", "uk"), ("uk-UA", "uk"), ("en", "en"), ("ru", "en"), (None, "en")]
)
def test_telegrams_language_code_chooses_the_catalogue(code, lang):
    assert language(code) == lang


# --- over the Bot API fake -------------------------------------------------------------------


@pytest.fixture
async def bot(seeded_db, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    async with seeded_bot(seeded_db, tmp_path, lambda fake: fake.set_language(UK, "uk")) as (
        fake,
        _,
        _,
    ):
        yield fake


async def ask(fake: BotApiFake, text: str, user: int = UK) -> str:
    reply = await fake.wait_for_reply_async(fake.user_message(text, chat_id=user))
    return parse_telegram_html(reply["text"])


async def test_a_ukrainian_user_is_answered_in_ukrainian(bot, caplog):
    assert (await ask(bot, "/help")).startswith("Команди\n/city — Події в місці")
    answer = await ask(bot, "/city Kharkiv shelling")
    # (how many events the seeds hold is the extractor's business, not this test's)
    assert re.match(r"Харків · shelling — подій: \d+, сторінка 1/\d+\n", answer), answer
    assert "Харків, Харківська область · " in answer
    assert "· Обстріл" in answer and "Джерела (" in answer
    totals = await ask(bot, "/stats Kharkiv")
    assert re.search(r"\nЗагиблі: щонайменше 38 \(подій: 2\), без числа: \d+\n", totals), totals
    assert (await ask(bot, "/help", user=UK + 1)).startswith("Commands\n/city — Events in a place")
    assert bot.rejections == []
    assert_clean_logs(caplog)


async def test_lang_chooses_the_chats_language_whatever_telegram_says(bot, caplog):
    assert await ask(bot, "/lang en") == "I will reply in English here."
    assert (await ask(bot, "/help")).startswith("Commands")
    assert await ask(bot, "/lang uk") == "Відповідатиму тут українською."
    assert (await ask(bot, "/help")).startswith("Команди")
    assert "/lang" in await ask(bot, "/lang fr")
    assert_clean_logs(caplog)


async def test_the_menu_is_published_in_ukrainian_too(bot):
    for scope in (None, {"type": "all_group_chats"}, {"type": "all_chat_administrators"}):
        english = bot.commands(scope)
        ukrainian = bot.commands(scope, "uk")
        assert [c["command"] for c in english] == [c["command"] for c in ukrainian]
        assert ukrainian[0]["description"] == STRINGS["cmd.city"]["uk"]


async def test_buttons_answer_in_the_users_language(bot, caplog):
    bot.user_message("/city Kharkiv", chat_id=UK)
    message = await bot.wait_for_message_async(UK)
    forward = next(
        b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row
    )
    await bot.wait_for_reply_async(bot.callback_query(message, forward))
    edit = await bot.wait_for_async("editMessageText")
    assert "сторінка 2/3" in parse_telegram_html(edit["text"])
    assert_clean_logs(caplog)


@pytest.mark.parametrize(
    ("names", "ukrainian"),
    [
        (["харков", "харків", "харьков"], "Харків"),
        (["киев", "київ", "кіеў", "кијев", "киевом"], "Київ"),
        (["херсон", "херсона"], "Херсон"),
        (["івано-франківськ", "ивано-франковск"], "Івано-Франківськ"),
        (["кіеў"], None),
        ([], None),
    ],
)
def test_the_ukrainian_spelling_is_picked_among_cyrillic_names(names, ukrainian):
    from bot.catalogue import ukrainian_name

    assert ukrainian == ukrainian_name(names)


def test_every_oblast_of_the_gazetteer_has_a_ukrainian_name(template_db):
    rows = Store(template_db).db.execute(
        "select distinct admin1_name from places where country = 'UA' and admin1_name != ''"
    )
    assert sorted({r[0] for r in rows} - set(LABELS_UK)) == []
