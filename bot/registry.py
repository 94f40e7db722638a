"""Every command, defined once: /help, the command menu, the README table and the console read
this table (as datasette registers its built-ins), so none of them can forget one."""

from __future__ import annotations

from dataclasses import dataclass

PRIVATE, GROUP, CHANNEL = "private", "group", "channel"
EVERYWHERE = frozenset({PRIVATE, GROUP, CHANNEL})


@dataclass(frozen=True)
class Command:
    """One command: what it takes, what it does, an example, and where it may be used.

    `admin`: it changes what a chat receives, so in a group only administrators may use it.
    `menu`: shown in Telegram's command menu (the menu holds what a user types most).
    """

    name: str
    arguments: str
    summary: str
    example: str
    where: frozenset[str] = EVERYWHERE
    admin: bool = False
    menu: bool = True

    @property
    def usage(self) -> str:
        return f"/{self.name} {self.arguments}".strip()


COMMANDS: tuple[Command, ...] = (
    Command(
        "city",
        "<place> [date or range] [kind]",
        "Events in a place, optionally on a day or range, of a kind",
        "/city Kharkiv 1-3 March 2022 shelling",
    ),
    Command(
        "date",
        "<date or range> [place] [kind]",
        "Events on a day or range, optionally in a place",
        "/date 2022-03-02 Kharkiv",
    ),
    Command(
        "map",
        "[place | oblast] [date or range] [kind]",
        "A map of the events: a place, an oblast or the whole country, on a day or range",
        "/map Kharkiv Oblast March 2022",
    ),
    Command(
        "chart",
        "<place | oblast | all> [date or range]",
        "Events and killed and injured per day, as a chart",
        "/chart all March 2022",
    ),
    Command("latest", "[n]", "The newest events (up to 20)", "/latest 10"),
    Command("search", "<words>", "Events whose text has all these words", "/search hospital"),
    Command("event", "<number>", "One event in full: every source and its sentence", "/event 12"),
    Command(
        "stats",
        "[place] [date or range]",
        "Totals: events by kind, killed and injured (lower bounds)",
        "/stats Mariupol March 2022",
    ),
    Command(
        "export",
        "[place] [date or range] [geojson]",
        "The events as a CSV file (or GeoJSON for maps)",
        "/export Kharkiv March 2022",
        menu=False,
    ),
    Command("sources", "", "The articles indexed", "/sources", menu=False),
    Command(
        "subscribe",
        "<place | oblast | all> [kind] [+word -word] [min N sources | killed | injured]",
        "Get new events here as they are indexed",
        "/subscribe Kramatorsk min 2 sources",
        admin=True,
    ),
    Command(
        "unsubscribe",
        "[label]",
        "Stop one subscription, or all",
        "/unsubscribe Kharkiv",
        admin=True,
    ),
    Command(
        "subscriptions",
        "[export | import]",
        "What this chat receives; export it as a file, or import one",
        "/subscriptions export",
    ),
    Command("quiet", "on | off", "Deliver without a notification sound", "/quiet on", admin=True),
    Command(
        "digest",
        "HH:MM [only] [time zone] | off",
        "A daily summary (Europe/Kyiv unless given), besides or instead of instant updates",
        "/digest 08:00 Europe/London",
        admin=True,
    ),
    Command(
        "channel",
        "<@channel> <command>",
        "Manage a channel you administer, from this private chat",
        "/channel @mychannel subscribe Kharkiv",
        where=frozenset({PRIVATE}),
        menu=False,
    ),
    Command("lang", "en | uk", "Reply in English or Ukrainian", "/lang uk", menu=False),
    Command("help", "", "This list", "/help"),
    Command("start", "", "What this bot does, and the first steps", "/start", menu=False),
)
BY_NAME = {c.name: c for c in COMMANDS}
# Commands a group uses: asking, and managing what the group receives.
GROUP_HELP = (
    "city",
    "date",
    "map",
    "chart",
    "stats",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "quiet",
    "digest",
)


def command(name: str) -> Command | None:
    return BY_NAME.get(name.lower())


def for_chat(chat_type: str, admin: bool = True) -> list[Command]:
    """The commands worth listing in a chat of this type (channels count as groups)."""
    kind = PRIVATE if chat_type == PRIVATE else GROUP
    listed = [c for c in COMMANDS if kind in c.where and c.name != "start"]
    if kind == GROUP:
        listed = [c for c in listed if c.name in GROUP_HELP or c.name == "help"]
    return [c for c in listed if admin or not c.admin]


def menu(chat_type: str, admin: bool = False) -> list[Command]:
    """Telegram's command menu for a scope: admin commands only for those who may use them."""
    return [c for c in for_chat(chat_type, admin) if c.menu]


def readme_table() -> str:
    """The README's command table, as the registry has it (a test keeps the two equal)."""
    rows = ["| command | what it does | example |", "|---|---|---|"]
    for c in COMMANDS:
        usage = c.usage.replace("|", "\\|")
        note = " (group admins)" if c.admin else ""
        rows.append(f"| `{usage}` | {c.summary}{note} | `{c.example}` |")
    return "\n".join(rows)
