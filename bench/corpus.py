"""Generate a reproducible corpus of war-news articles for the benchmarks.

Writes N article files (`NNNNNN_<hex>.txt`) and a `manifest.csv` (file, published, title, url,
publisher) into a folder, the layout `sitrep index FOLDER` reads. Everything comes from a seeded
random generator and the templates below, so the same seed gives byte-identical files.

What an article looks like: a headline line, 3–8 paragraphs of 1–3 sentences. Story paragraphs
report "happenings" (a place, a day, a kind of attack, a target, casualties) drawn from a shared
pool, so several outlets report the same happening on the same day in different words and the
indexer has to merge them. Around them: follow-up sentences that lean on "the city", claims
("Russia's defence ministry said"), weekday and explicit dates relative to the publication day,
diplomacy and economy paragraphs that must yield no event, background sentences, "Also Read"
boilerplate and a block of related-story teasers. Places come from ~80 Ukrainian cities and
oblasts, with the spellings the press used (Kharkov, Kiev, Odessa) and some typos (Kharliv).

Real text (optional): with `--news-csv PATH` (e.g. the RUWA headlines in
../shared/data/ruwa_news_en_2022-02-24_2022-04-30.csv), the related-story teasers and some
diplomacy paragraphs are real headlines and leads of that week; if the file is missing or
unreadable the generator says so and falls back to generated text. The default uses no real
text at all.

    PYTHONPATH=. python bench/corpus.py /tmp/sitrep-corpus -n 5000 --seed 1
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

FIRST_DAY = date(2022, 2, 24)
LAST_DAY = date(2022, 4, 30)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May")

# (spellings, weight): the first spelling is the one most outlets use; the others are the
# Russian-derived or older spellings, then typos of big places (same first letter, one letter
# off, so the gazetteer's fuzzy match can still find them). Weights make the front line busy.
PLACES: list[tuple[tuple[str, ...], int]] = [
    (("Kharkiv", "Kharkov", "Kharliv"), 40),
    (("Kyiv", "Kiev"), 30),
    (("Mariupol", "Mairupol"), 30),
    (("Chernihiv", "Chernigov", "Chernihv"), 18),
    (("Sumy",), 12),
    (("Irpin", "Irpen"), 10),
    (("Bucha",), 8),
    (("Hostomel", "Gostomel"), 8),
    (("Kherson",), 14),
    (("Mykolaiv", "Nikolaev", "Mykolayiv"), 16),
    (("Zaporizhzhia", "Zaporozhye", "Zaporizhia"), 10),
    (("Dnipro", "Dnipropetrovsk"), 6),
    (("Odesa", "Odessa"), 8),
    (("Lviv", "Lvov"), 5),
    (("Kramatorsk",), 10),
    (("Sloviansk", "Slavyansk"), 6),
    (("Severodonetsk", "Sievierodonetsk"), 10),
    (("Lysychansk", "Lisichansk"), 8),
    (("Izium", "Izyum"), 10),
    (("Volnovakha",), 6),
    (("Melitopol",), 6),
    (("Berdyansk",), 4),
    (("Enerhodar", "Energodar"), 4),
    (("Okhtyrka", "Akhtyrka"), 5),
    (("Trostianets",), 3),
    (("Vasylkiv",), 3),
    (("Zhytomyr", "Zhitomir"), 5),
    (("Korosten",), 2),
    (("Rivne",), 2),
    (("Lutsk",), 2),
    (("Ternopil",), 1),
    (("Ivano-Frankivsk",), 2),
    (("Vinnytsia", "Vinnitsa"), 3),
    (("Uman",), 2),
    (("Kropyvnytskyi",), 2),
    (("Poltava",), 3),
    (("Kremenchuk",), 2),
    (("Cherkasy",), 2),
    (("Bila Tserkva",), 3),
    (("Brovary",), 4),
    (("Borodianka",), 4),
    (("Makariv",), 3),
    (("Boryspil",), 2),
    (("Nizhyn",), 2),
    (("Konotop",), 3),
    (("Shostka",), 2),
    (("Chuhuiv", "Chuguev"), 4),
    (("Balakliia",), 3),
    (("Kupiansk",), 2),
    (("Lozova",), 2),
    (("Vuhledar",), 3),
    (("Avdiivka",), 4),
    (("Popasna",), 5),
    (("Rubizhne",), 5),
    (("Kreminna",), 4),
    (("Bakhmut",), 3),
    (("Pokrovsk",), 2),
    (("Druzhkivka",), 2),
    (("Kostiantynivka",), 2),
    (("Horlivka", "Gorlovka"), 3),
    (("Donetsk",), 6),
    (("Luhansk", "Lugansk"), 5),
    (("Voznesensk",), 3),
    (("Nova Kakhovka",), 3),
    (("Chornobaivka",), 4),
    (("Huliaipole",), 3),
    (("Orikhiv",), 3),
    (("Tokmak",), 2),
    (("Pavlohrad",), 2),
    (("Kryvyi Rih", "Krivoy Rog"), 3),
    (("Nikopol",), 2),
    (("Kharkiv region", "Kharkiv Oblast"), 8),
    (("Donetsk region", "Donetsk Oblast"), 10),
    (("Luhansk region", "Luhansk Oblast"), 10),
    (("Sumy region",), 5),
    (("Chernihiv region",), 5),
    (("Kyiv region", "Kyiv Oblast"), 8),
    (("Mykolaiv region",), 4),
    (("Zaporizhzhia region",), 4),
    (("Kherson region", "Kherson Oblast"), 5),
    (("Odesa region",), 3),
]

ABROAD = ["Moscow", "Minsk", "Istanbul", "Warsaw", "Brussels", "Washington", "Belgorod"]
PUBLISHERS = [
    "Ukrinform",
    "Kyiv Independent",
    "Reuters",
    "Al Jazeera",
    "BBC",
    "Associated Press",
    "Republic World",
    "The Guardian",
    "Censor.net",
    "AFP",
]
OFFICIALS = [
    "regional governor Oleh Synehubov",
    "the regional administration",
    "the mayor",
    "local officials",
    "Ukraine's emergency service",
    "the Ukrainian General Staff",
    "police",
    "the prosecutor general's office",
    "regional military administration head Vitaliy Kim",
    "Ukrainian officials",
]
RUSSIAN_SOURCES = [
    "Russia's defence ministry",
    "Russian Defence Ministry spokesman Igor Konashenkov",
    "the Russian military",
    "Moscow's defence ministry",
]
WEAPONS = [
    "missiles",
    "rockets",
    "artillery",
    "cruise missiles",
    "Grad rockets",
    "cluster munitions",
    "mortar fire",
]
TARGETS = [
    "a residential building",
    "a hospital",
    "a school",
    "the regional administration building",
    "a railway station",
    "an oil depot",
    "a power plant",
    "a military base",
    "a shopping centre",
    "a bridge",
    "apartment blocks",
    "a kindergarten",
    "the city centre",
    "a church",
    "civilian infrastructure",
]
KINDS = ["shelling", "airstrike", "missile", "capture", "recapture", "clash", "shotdown", "destroy"]
KIND_WEIGHTS = [30, 14, 14, 8, 6, 12, 6, 10]


@dataclass(frozen=True)
class Happening:
    place: tuple[str, ...]  # spellings, canonical first
    day: date
    kind: str
    target: str
    killed: int
    injured: int
    weapon: str


def _weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def _day_month(day: date, rng: random.Random) -> str:
    month = MONTHS[day.month - 1]
    return rng.choice([f"{month} {day.day}", f"{day.day} {month}", f"{month} {day.day}, 2022"])


def when_phrase(day: date, published: date, rng: random.Random) -> str:
    """How a reporter writing on `published` names `day`: weekday, yesterday, an explicit date."""
    gap = (published - day).days
    choices = [f"on {_weekday(day)}", f"on {_day_month(day, rng)}"]
    if gap == 0:
        choices += ["on " + _weekday(day), "overnight", "early on " + _weekday(day), "today"]
    elif gap == 1:
        choices += ["yesterday", f"late on {_weekday(day)}", f"on {_weekday(day)} night"]
    return rng.choice(choices)


def _count(n: int, rng: random.Random) -> str:
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
    if n in words and rng.random() < 0.4:
        return words[n]
    return str(n)


def _spell(h: Happening, rng: random.Random) -> str:
    # Most reports use the canonical spelling; a quarter use a variant or a typo.
    if len(h.place) > 1 and rng.random() < 0.25:
        return rng.choice(h.place[1:])
    return h.place[0]


def story_sentences(h: Happening, published: date, rng: random.Random) -> list[str]:
    """One happening told in 1–3 sentences, in one of several ways."""
    place = _spell(h, rng)
    when = when_phrase(h.day, published, rng)
    official = rng.choice(OFFICIALS)
    russia = rng.choice(RUSSIAN_SOURCES)
    k, w = _count(h.killed, rng), _count(h.injured, rng)
    if h.kind == "shelling":
        first = rng.choice(
            [
                f"At least {k} people were killed and {w} wounded in shelling of {place}"
                f" {when}, {official} said.",
                f"Russian {h.weapon} hit {h.target} in {place} {when}, killing {k} civilians"
                f" and wounding {w}, according to {official}.",
                f"{official[0].upper() + official[1:]} said {k} people died after Russian"
                f" shelling of {place} {when}.",
                f"Shelling struck {h.target} in {place} {when}.",
            ]
        )
    elif h.kind == "airstrike":
        first = rng.choice(
            [
                f"A Russian airstrike hit {h.target} in {place} {when}, killing at least {k}"
                " people.",
                f"Russian warplanes bombed {h.target} in {place} {when}, {official} said.",
                f"Russian aircraft dropped bombs on {place} {when}, leaving {w} injured.",
            ]
        )
    elif h.kind == "missile":
        first = rng.choice(
            [
                f"A missile struck {h.target} in {place} {when}, {official} said.",
                f"Russian cruise missiles hit {h.target} near {place} {when}.",
                f"{k} people were killed when rockets hit {h.target} in {place} {when}.",
            ]
        )
    elif h.kind == "capture":
        first = rng.choice(
            [
                f"{russia} said {when} that its forces had captured {place}.",
                f"Russian troops have taken control of {place}, Ukrainian officials confirmed"
                f" {when}.",
                f"Russian forces seized {h.target} in {place} {when}.",
            ]
        )
    elif h.kind == "recapture":
        first = rng.choice(
            [
                f"Ukrainian forces recaptured {place} {when}, the General Staff said.",
                f"Ukraine's army said it had retaken {place} {when} after days of fighting.",
            ]
        )
    elif h.kind == "clash":
        first = rng.choice(
            [
                f"Heavy fighting continued on the outskirts of {place} {when}, according to the"
                " Ukrainian military.",
                f"Ukrainian troops repelled an assault on {place} {when}.",
                f"Russian paratroopers landed in {place} {when} and clashes broke out.",
            ]
        )
    elif h.kind == "shotdown":
        first = rng.choice(
            [
                f"Ukrainian air defence shot down {k} cruise missiles over {place} {when}.",
                f"Two Russian drones were downed near {place} {when}, {official} said.",
            ]
        )
    else:
        first = rng.choice(
            [
                f"Russian shelling destroyed {h.target} in {place} {when}.",
                f"{russia} claimed {when} that it had destroyed {h.target} near {place}.",
                f"{h.target[0].upper() + h.target[1:]} in {place} was badly damaged {when}.",
            ]
        )
    sentences = [first[0].upper() + first[1:]]
    if rng.random() < 0.8:
        sentences.append(
            rng.choice(
                [
                    f"Rescuers pulled {w} people from the rubble, the city's mayor said.",
                    "Fires broke out in several districts of the city.",
                    f"The death toll rose to {h.killed + rng.randint(1, 9)} by the evening.",
                    "Firefighters were still working at the scene.",
                    "Residents spent the night in basements and metro stations.",
                    "Video posted online showed a column of black smoke over the area.",
                    "Air raid sirens sounded across the region for several hours.",
                    "Emergency workers said the number of victims could rise as rubble was"
                    " cleared.",
                    "Power and water supplies were cut in parts of the city.",
                ]
            )
        )
    if rng.random() < 0.5:
        sentences.append(
            rng.choice(
                [
                    f"{russia} denied that it targets civilians.",
                    "The claim could not be independently verified.",
                    'Moscow calls its actions a "special military operation".',
                ]
            )
        )
    return sentences


NOISE_SENTENCES = [
    "Delegations from Russia and Ukraine met in {abroad} for a new round of talks {when}.",
    "President Volodymyr Zelensky urged Western leaders to send more weapons in a video address.",
    "The European Union announced a new package of sanctions against Russian banks.",
    "The UN refugee agency said more than {millions} million people had fled Ukraine.",
    "Prices of wheat and oil rose sharply on world markets {when}.",
    "The Kremlin said it was too early to speak of a breakthrough in the negotiations.",
    "NATO leaders are due to meet in {abroad} next week to discuss support for Kyiv.",
    "The IMF warned that the war would slow growth across Europe.",
    "Several countries expelled Russian diplomats {when}.",
    "The Red Cross called for safe passage for civilians trapped in besieged towns.",
    "Ukraine's foreign minister said Kyiv would not give up any territory.",
    "Germany said it would speed up deliveries of liquefied natural gas from other suppliers.",
    "Washington announced a further $800 million in security assistance for Ukraine {when}.",
    "The United Nations Security Council held an emergency session on the humanitarian"
    " situation in Ukraine.",
    "Ukrainian and Russian negotiators exchanged draft documents, a Turkish official said.",
    "The rouble fell to a record low against the dollar before recovering some of its losses.",
    "Airlines rerouted flights around Ukrainian and Russian airspace, adding hours to journeys.",
    "The World Food Programme said it was scaling up deliveries to cities in the east.",
    "Poland said it had received more refugees than any other country since the invasion began.",
    "European energy ministers discussed ways to reduce their dependence on Russian gas.",
]
BACKGROUND = [
    "Russia launched its full-scale invasion of Ukraine on February 24.",
    "It is not the first time the city has come under fire.",
    "Since the start of the war, millions of people have left their homes.",
    'Moscow calls the invasion a "special military operation" to demilitarise Ukraine.',
]
BOILERPLATE = [
    "Also Read | Russia-Ukraine war: what we know on day {n}",
    "Follow all the Russia-Ukraine War News and Headlines on our LIVE Updates page",
    "Full coverage of Russia-Ukraine conflict here",
    "Read more: Live updates from Ukraine",
]
TEASERS = [
    ("Ukraine war latest: talks resume as shelling goes on", "Negotiators met again {when}."),
    ("Explainer: what sanctions have been imposed on Russia?", "A look at the measures so far."),
    ("In pictures: life in the metro shelters", "Families have lived underground for weeks."),
    ("Refugees cross into Poland at record pace", "Border guards counted thousands a day."),
    ("Analysis: why the offensive stalled", "Supply lines and fierce resistance, experts say."),
]


QUOTES = [
    '"We heard explosions all night," a resident of {place} told reporters.',
    '"There is no water, no power and no heating," said a volunteer in {place}.',
    "Residents of {place} queued for bread as sirens sounded again.",
    '"The city is holding," the mayor of {place} said in a video message.',
]


def noise_paragraph(published: date, news: NewsText, rng: random.Random) -> str:
    """Diplomacy, economy, refugees: 2–4 sentences that report no event, sometimes real text."""
    real = news.pick(published, rng) if rng.random() < 0.5 else None
    if real is not None:
        return real[1]
    sentences = rng.sample(NOISE_SENTENCES, k=rng.randint(2, 4))
    return " ".join(
        s.format(
            abroad=rng.choice(ABROAD),
            when=when_phrase(published, published, rng),
            millions=rng.choice(["two", "three", "four", "five"]),
        )
        for s in sentences
    )


def headline(h: Happening, rng: random.Random) -> str:
    place = h.place[0]
    by_kind = {
        "shelling": [f"Russian shelling kills {h.killed} in {place}", f"{place} under fire again"],
        "airstrike": [f"Airstrike hits {h.target} in {place}", f"Bombs fall on {place}"],
        "missile": [f"Missile strike on {place}", f"Rockets hit {h.target} in {place}"],
        "capture": [f"Russia says it captured {place}", f"Russian troops enter {place}"],
        "recapture": [f"Ukraine says it retook {place}", f"Counteroffensive near {place}"],
        "clash": [f"Fierce fighting around {place}", f"Battle for {place} intensifies"],
        "shotdown": [f"Air defence over {place} downs missiles", f"Drones shot down near {place}"],
        "destroy": [f"{place}: {h.target} destroyed", f"Damage mounts in {place}"],
    }
    return rng.choice(by_kind[h.kind])


class NewsText:
    """Real headlines and leads by day, when asked for and readable; else nothing."""

    def __init__(self, path: Path | None) -> None:
        self.by_day: dict[date, list[tuple[str, str]]] = {}
        self.note = "generated text only"
        if path is None:
            return
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    try:
                        day = date.fromisoformat(row["date"])
                    except (KeyError, ValueError):
                        continue
                    title, lead = (row.get("title") or "").strip(), (row.get("lead") or "").strip()
                    if title and lead:
                        self.by_day.setdefault(day, []).append((title, lead))
        except OSError as exc:
            self.note = f"could not read {path} ({exc.strerror}); generated text only"
            return
        total = sum(len(v) for v in self.by_day.values())
        self.note = f"real headlines and leads from {path.name} ({total} items)"

    def pick(self, day: date, rng: random.Random) -> tuple[str, str] | None:
        items = self.by_day.get(day)
        return rng.choice(items) if items else None


def make_pool(n_articles: int, rng: random.Random) -> dict[date, list[Happening]]:
    """Happenings by day: fewer than articles, so outlets report the same ones."""
    names = [p for p, _ in PLACES]
    weights = [w for _, w in PLACES]
    days = (LAST_DAY - FIRST_DAY).days + 1
    pool: dict[date, list[Happening]] = {}
    for _ in range(max(days, int(n_articles * 0.9))):
        day = FIRST_DAY + timedelta(days=rng.randrange(days))
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        h = Happening(
            place=rng.choices(names, weights)[0],
            day=day,
            kind=kind,
            target=rng.choice(TARGETS),
            killed=rng.choice([2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 21, 35, 47]),
            injured=rng.choice([3, 5, 8, 11, 14, 20, 25, 40, 63, 112]),
            weapon=rng.choice(WEAPONS),
        )
        pool.setdefault(day, []).append(h)
    return pool


def article(
    number: int, pool: dict[date, list[Happening]], news: NewsText, rng: random.Random
) -> tuple[str, dict[str, str]]:
    """(text, manifest row) of one article."""
    days = (LAST_DAY - FIRST_DAY).days + 1
    published = FIRST_DAY + timedelta(days=rng.randrange(days))
    recent = [
        h
        for back in range(0, 7)
        for h in pool.get(published - timedelta(days=back), [])
        if rng.random() < (0.9 if back < 2 else 0.3)
    ]
    if not recent:
        recent = pool.get(published) or [rng.choice(pool[min(pool)])]
    told = rng.sample(recent, k=min(len(recent), rng.randint(1, 3)))
    main = told[0]
    title = headline(main, rng)
    paragraphs: list[str] = []
    for h in told:
        paragraphs.append(" ".join(story_sentences(h, published, rng)))
    n_paragraphs = rng.randint(3, 8)
    while len(paragraphs) < n_paragraphs:
        roll = rng.random()
        if roll < 0.45:
            paragraphs.append(noise_paragraph(published, news, rng))
        elif roll < 0.55:
            paragraphs.append(" ".join(rng.sample(BACKGROUND, k=rng.randint(1, 2))))
        elif roll < 0.65:
            paragraphs.append(rng.choice(QUOTES).format(place=_spell(rng.choice(told), rng)))
        else:
            # A second telling of a happening already told: the same event, other words.
            paragraphs.append(" ".join(story_sentences(rng.choice(told), published, rng)))
    rng.shuffle(paragraphs)
    if rng.random() < 0.3:
        city = main.place[0].upper()
        paragraphs[0] = (
            f"{city}, {_day_month(published, rng)} ({rng.choice(PUBLISHERS)}) - " + (paragraphs[0])
        )
    if rng.random() < 0.25:
        day_n = (published - FIRST_DAY).days + 1
        paragraphs.insert(rng.randint(1, len(paragraphs)), rng.choice(BOILERPLATE).format(n=day_n))
    lines = [title, *paragraphs]
    if rng.random() < 0.3:
        lines.append("-")
        for _ in range(rng.randint(1, 3)):
            real = news.pick(published - timedelta(days=rng.randint(0, 2)), rng)
            teaser = real or rng.choice(TEASERS)
            lines.append(teaser[0])
            lines.append(teaser[1].format(when=when_phrase(published, published, rng)))
    text = "\n\n".join(lines) + "\n"
    digest = hashlib.sha256(f"{number}:{text}".encode()).hexdigest()[:16]
    publisher = rng.choice(PUBLISHERS)
    row = {
        "file": f"{number:06d}_{digest}.txt",
        "published": published.isoformat(),
        "title": title,
        "url": f"https://news.example.org/{published:%Y/%m/%d}/{digest}",
        "publisher": publisher,
    }
    if rng.random() < 0.03:
        # A few articles without a manifest date: the `date YYYY-MM-DD` header tells it.
        text = f"date {published.isoformat()} " + text
        row["published"] = ""
    return text, row


def generate(folder: Path, n: int, seed: int, news_csv: Path | None = None) -> dict[str, object]:
    """Write the corpus; returns a few figures about it."""
    rng = random.Random(seed)
    news = NewsText(news_csv)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    pool = make_pool(n, rng)
    rows = []
    total_bytes = 0
    for number in range(n):
        text, row = article(number, pool, news, rng)
        (folder / row["file"]).write_text(text, encoding="utf-8")
        total_bytes += len(text.encode("utf-8"))
        rows.append(row)
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        fields = ["file", "published", "title", "url", "publisher"]
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return {
        "articles": n,
        "happenings": sum(len(v) for v in pool.values()),
        "bytes": total_bytes,
        "text": news.note,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the articles and manifest.csv")
    parser.add_argument("-n", "--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--news-csv",
        type=Path,
        default=None,
        help="real headlines/leads CSV (date,title,lead) to mix in; falls back to generated text",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    figures = generate(args.folder, args.articles, args.seed, args.news_csv)
    elapsed = time.perf_counter() - started
    print(f"corpus: {args.folder}")
    print(f"  articles      {figures['articles']:>10,}")
    print(f"  happenings    {figures['happenings']:>10,}")
    print(f"  size          {figures['bytes'] / 1e6:>10.1f} MB")
    print(f"  avg article   {figures['bytes'] / max(1, args.articles):>10,.0f} bytes")
    print(f"  text          {figures['text']}")
    print(f"  time          {elapsed:>10.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
