"""The bot without Telegram: the same commands and rendering, printed as plain text. The console
is a private chat of its own (LOCAL), so subscriptions can be tried on it too; the file that
`/subscriptions export` writes comes back with `/subscriptions import <path>`, and a /map or
/chart is written as a PNG whose path the answer gives."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.catalogue import t
from bot.commands import Chat, Commands, parse_command
from bot.drawing import Drawer
from bot.render import Reply, esc, to_plain
from store.db import Store

LOCAL = Chat(id=1, type="private")


def ask(store: Store, message: str, folder: Path | None = None) -> str:
    """The reply the bot would send to this message, as terminal text; a file it would send
    is written to `folder` (the current directory unless given)."""
    reply = _answer(Commands(store), message, _local(store))
    return _shown(reply, folder or Path.cwd()) if reply else ""


def picture(store: Store, message: str, output: Path | None = None) -> tuple[bool, str]:
    """(written?, what to print) for `sitrep map` and `sitrep chart`: the PNG the bot would
    send, written to `output` (a name of its own in the current directory unless given), or the
    bot's answer in words when there is no picture (no events, a place it does not know)."""
    reply = _answer(Commands(store), message, _local(store))
    if reply is None or reply.picture is None:
        return False, _plain(reply.text, reply.buttons) if reply else ""
    path = output or Path.cwd() / reply.picture.name
    path.write_bytes(Drawer().draw_here(reply.picture))
    return True, f"{to_plain(reply.text)}\npicture written to {path}"


def _answer(commands: Commands, message: str, chat: Chat) -> Reply | None:
    """The reply to a line; `/subscriptions import <path>` reads the file from disk, as the
    bot reads one sent in Telegram."""
    parsed = parse_command(message)
    action, _, path = parsed[2].partition(" ") if parsed else ("", "", "")
    if not (parsed and parsed[0] == "subscriptions" and action.lower() == "import" and path):
        return commands.handle(message, chat)
    try:
        data = Path(path).expanduser().read_bytes()
    except OSError:
        return Reply(t("sub.import.nofile", chat.lang, path=esc(path)))
    return commands.import_subscriptions(data, chat)


def _local(store: Store) -> Chat:
    """The console's chat, in the language chosen with /lang (English unless)."""
    return replace(LOCAL, lang=store.chat_language(LOCAL.id) or LOCAL.lang)


def _shown(reply: Reply, folder: Path, drawer: Drawer | None = None) -> str:
    if reply.picture is not None:
        path = folder / reply.picture.name
        path.write_bytes((drawer or Drawer()).draw_here(reply.picture))
        return f"{_plain(reply.text, reply.buttons)}\npicture written to {path}"
    if reply.document is None:
        return _plain(reply.text, reply.buttons)
    name, data = reply.document
    (folder / name).write_bytes(data)
    return f"{to_plain(reply.text)}: written to {folder / name}"


def _plain(text: str, buttons: list[list[tuple[str, str]]]) -> str:
    out = to_plain(text)
    labels = [label for row in buttons for label, _ in row]
    if labels:
        out += "\n[" + "] [".join(labels) + "]"
    return out


def chat(store: Store) -> None:
    """An interactive console: type commands or questions; ▶/◀ (or > and <) page through the
    last answer, and typing a button's label presses it."""
    commands = Commands(store)
    drawer = Drawer()  # keeps the pictures drawn, as the bot does, while the console runs
    print("sitrep console — type /help, > or < to page, a [button] to press it, Ctrl-D to leave.")
    buttons: list[list[tuple[str, str]]] = []
    while True:
        try:
            line = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if not line:
            continue
        pressed = {"▶": "▶", ">": "▶", "◀": "◀", "<": "◀"}.get(line, line)
        data = next((d for row in buttons for label, d in row if label == pressed), None)
        if data is not None:  # a button's label, typed: "2 Mar 2022", "Kharkiv?", ">"
            reply = commands.callback(data, _local(store))
        elif pressed != line:
            print("No more pages.")
            continue
        else:
            reply = _answer(commands, line, _local(store))
        if reply is not None:
            buttons = reply.buttons
            print(_shown(reply, Path.cwd(), drawer))
