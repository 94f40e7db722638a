"""Every string the bot says, in English and Ukrainian: one plain table, looked up by key.

A test fails when a key lacks a language or the code asks for a key the table lacks. Place
names stay as the gazetteer writes them; oblasts have labels below, kinds and targets in
bot/data/kinds.toml (bot/kinds.py).
"""

from __future__ import annotations

from datetime import date

LANGUAGES = ("en", "uk")
DEFAULT = "en"

STRINGS: dict[str, dict[str, str]] = {
    # --- commands, for /help and the menu ---
    "cmd.city": {
        "en": "Events in a place, optionally on a day or range, of a kind",
        "uk": "Події в місці, за день чи період, певного виду",
    },
    "cmd.date": {
        "en": "Events on a day or range, optionally in a place",
        "uk": "Події за день чи період, за потреби в одному місці",
    },
    "cmd.map": {
        "en": "A map of the events: a place, an oblast or the whole country, on a day or range",
        "uk": "Мапа подій: місце, область чи вся країна, за день чи період",
    },
    "cmd.chart": {
        "en": "Events and killed and injured per day, as a chart",
        "uk": "Події, загиблі й поранені за днями, графіком",
    },
    "cmd.latest": {"en": "The newest events (up to 20)", "uk": "Найновіші події (до 20)"},
    "cmd.search": {
        "en": "Events whose text has all these words",
        "uk": "Події, у тексті яких є всі ці слова",
    },
    "cmd.event": {
        "en": "One event in full: every source and its sentence",
        "uk": "Одна подія повністю: кожне джерело і його речення",
    },
    "cmd.stats": {
        "en": "Totals: events by kind, killed and injured (lower bounds)",
        "uk": "Підсумки: події за видами, загиблі й поранені (щонайменше)",
    },
    "cmd.export": {
        "en": "The events as a CSV file (or GeoJSON for maps)",
        "uk": "Події файлом CSV (або GeoJSON для мап)",
    },
    "cmd.sources": {"en": "The articles indexed", "uk": "Опрацьовані статті"},
    "cmd.subscribe": {
        "en": "Get new events here as they are indexed",
        "uk": "Отримувати тут нові події, щойно вони з'являться",
    },
    "cmd.unsubscribe": {
        "en": "Stop one subscription, or all",
        "uk": "Скасувати одну підписку або всі",
    },
    "cmd.subscriptions": {
        "en": "What this chat receives; export it as a file, or import one",
        "uk": "Що отримує цей чат; зберегти це файлом або відновити з файлу",
    },
    "cmd.quiet": {
        "en": "Deliver without a notification sound",
        "uk": "Надсилати без звуку сповіщення",
    },
    "cmd.digest": {
        "en": "A daily summary (Europe/Kyiv unless given), besides or instead of instant updates",
        "uk": "Щоденний підсумок (за Києвом, якщо не вказано), разом із миттєвими або замість них",
    },
    "cmd.channel": {
        "en": "Manage a channel you administer, from this private chat",
        "uk": "Керувати каналом, який ви адмініструєте, з цього приватного чату",
    },
    "cmd.lang": {
        "en": "Reply in English or Ukrainian",
        "uk": "Відповідати англійською чи українською",
    },
    "cmd.help": {"en": "This list", "uk": "Цей список"},
    "cmd.start": {
        "en": "What this bot does, and the first steps",
        "uk": "Що вміє цей бот і з чого почати",
    },
    # --- help, start, greeting ---
    "help.title": {"en": "Commands", "uk": "Команди"},
    "help.title_group": {"en": "Commands in this group", "uk": "Команди в цій групі"},
    "help.admins": {"en": " (administrators)", "uk": " (адміністратори)"},
    "help.example": {"en": "e.g.", "uk": "напр."},
    "help.dates": {
        "en": "Dates: 2022-03-02, 2 March 2022, 2/3/2022, March 2022, last week, since March 1;"
        " ranges 1-3 March 2022 or 2022-03-01..2022-03-03. Places in any spelling: Kharkiv,"
        " Kharkov, Харків, Kharkiv oblast. A kind after the place: shelling, airstrike,"
        " hospital, killed.",
        "uk": "Дати: 2022-03-02, 2 березня 2022, 2/3/2022, березень 2022, last week, since"
        " March 1; періоди 1-3 March 2022 або 2022-03-01..2022-03-03. Місця будь-яким письмом:"
        " Харків, Kharkiv, Kharkov, Kharkiv oblast. Вид після місця: shelling, airstrike,"
        " hospital, killed.",
    },
    "help.plain": {
        "en": "Or just type a place, a date or words to search for.",
        "uk": "Або просто напишіть місце, дату чи слова для пошуку.",
    },
    "start.intro": {
        "en": "I answer questions about events of the war in Ukraine, extracted from news articles,"
        " and I list the articles each event comes from. Try <code>Kharkiv</code>,"
        " <code>/date 2 March 2022</code> or <code>/city Mariupol shelling</code>.",
        "uk": "Я відповідаю на запитання про події війни в Україні, взяті з новинних статей,"
        " і називаю статті, з яких походить кожна подія. Спробуйте <code>Харків</code>,"
        " <code>/date 2 березня 2022</code> або <code>/city Mariupol shelling</code>.",
    },
    "greeting": {
        "en": "Hello! I answer questions about events of the war in Ukraine from news articles.\n"
        "1. Ask: <code>/city@{bot} Kharkiv</code> or <code>/date@{bot} 2 March 2022</code>\n"
        "2. An administrator subscribes the group to new events:"
        " <code>/subscribe@{bot} Kharkiv oblast</code>\n/help@{bot} lists the rest.",
        "uk": "Вітаю! Я відповідаю на запитання про події війни в Україні з новинних статей.\n"
        "1. Запитайте: <code>/city@{bot} Харків</code> або"
        " <code>/date@{bot} 2 березня 2022</code>\n"
        "2. Адміністратор підписує групу на нові події:"
        " <code>/subscribe@{bot} Kharkiv oblast</code>\n/help@{bot} — решта команд.",
    },
    "lang.set": {"en": "I will reply in English here.", "uk": "Відповідатиму тут українською."},
    "lang.usage": {
        "en": "Usage: <code>/lang en</code> or <code>/lang uk</code>",
        "uk": "Як: <code>/lang uk</code> або <code>/lang en</code>",
    },
    # --- answers ---
    "events": {"en": "Events", "uk": "Події"},
    "events.on": {"en": "on", "uk": "за"},
    "events.count": {"en": "{n} events", "uk": "подій: {n}"},
    "events.one": {"en": "1 event", "uk": "1 подія"},
    "articles.count": {"en": "{n} articles", "uk": "статей: {n}"},
    "articles.one": {"en": "1 article", "uk": "1 стаття"},
    "events.page": {"en": "page {page}/{pages}", "uk": "сторінка {page}/{pages}"},
    "events.part": {"en": "part {part}/{parts}", "uk": "частина {part}/{parts}"},
    "events.latest": {"en": "Latest events", "uk": "Найновіші події"},
    "events.none": {
        "en": "No{what} events {scope}{when}.",
        "uk": "Немає подій{what} {scope}{when}.",
    },
    "picture.map": {"en": "Map", "uk": "Мапа"},
    "picture.chart": {"en": "Chart", "uk": "Графік"},
    "picture.ukraine": {"en": "Ukraine", "uk": "Україна"},
    "picture.credit": {
        "en": "sitrep · events read from news reports; killed and injured are lower bounds"
        " · boundaries: Made with Natural Earth",
        "uk": "sitrep · події з новин; загиблі й поранені — щонайменше"
        " · кордони: Made with Natural Earth",
    },
    "picture.slow": {
        "en": "That picture is taking too long to draw. Ask again in a minute, or for a shorter"
        " range or a smaller area.",
        "uk": "Малюнок готується задовго. Спитайте ще раз за хвилину або про коротший період"
        " чи менше місце.",
    },
    "map.approximate": {
        "en": "hollow: only the oblast or hromada is known",
        "uk": "порожні: відома лише область чи громада",
    },
    "map.shaded": {
        "en": "tinted: an oblast with events placed only in the oblast",
        "uk": "тоновані: область із подіями, місце яких відоме лише до області",
    },
    "map.sizes": {"en": "{n} killed or injured", "uk": "{n} загиблих чи поранених"},
    "map.other": {"en": "Other kinds", "uk": "Інші види"},
    "map.shown": {"en": "({shown} most important shown)", "uk": "(показано {shown} найважливіших)"},
    "map.unplaced": {"en": "{n} without a place on the map", "uk": "{n} без місця на мапі"},
    "chart.events": {"en": "events per day", "uk": "подій за день"},
    "chart.casualties": {
        "en": "killed and injured per day (at least)",
        "uk": "загиблі й поранені за день (щонайменше)",
    },
    "chart.bounds": {
        "en": "at least {killed} killed, {injured} injured",
        "uk": "щонайменше {killed} загиблих, {injured} поранених",
    },
    "chart.killed": {"en": "killed", "uk": "загиблі"},
    "chart.injured": {"en": "injured", "uk": "поранені"},
    "events.in": {"en": "in {place}", "uk": "у {place}"},
    "events.anywhere": {"en": "anywhere", "uk": "ніде"},
    "events.nearest": {"en": " Nearest days with events: ", "uk": " Найближчі дні з подіями: "},
    "events.places": {"en": " Places with events: ", "uk": " Місця з подіями: "},
    "which.place": {
        "en": "Which place? For example: <code>/city Kharkiv</code>",
        "uk": "Яке місце? Наприклад: <code>/city Харків</code>",
    },
    "which.day": {
        "en": "Which day? For example: <code>/date 2022-03-02</code>",
        "uk": "Який день? Наприклад: <code>/date 2022-03-02</code>",
    },
    "choose": {"en": "Did you mean {options}?", "uk": "Ви мали на увазі {options}?"},
    "or": {"en": "or", "uk": "чи"},
    "no.place": {
        "en": "No place called '{name}' that I know. Try /stats for the places I have.",
        "uk": "Не знаю місця '{name}'. /stats покаже місця, про які я знаю.",
    },
    "which.namesake": {
        "en": "Which {name}? Several places of that name have events:",
        "uk": "Який саме {name}? Події є в кількох місцях з такою назвою:",
    },
    "no.place.suggest": {
        "en": "No place called '{name}' — did you mean {names}?",
        "uk": "Не знаю місця '{name}' — можливо, {names}?",
    },
    "unknown.command": {
        "en": "I don't know /{name}. Send /help to see what I can do.",
        "uk": "Не знаю команди /{name}. /help покаже, що я вмію.",
    },
    "unknown.suggest": {
        "en": "I don't know /{name} — did you mean <code>{suggestion}</code>?",
        "uk": "Не знаю команди /{name} — можливо, <code>{suggestion}</code>?",
    },
    "admins.only": {
        "en": "Only this group's administrators can change its subscriptions.",
        "uk": "Лише адміністратори цієї групи можуть змінювати її підписки.",
    },
    # --- one event ---
    "sources": {"en": "Sources", "uk": "Джерела"},
    "sources.more": {"en": "and {n} more: /e{id}", "uk": "і ще {n}: /e{id}"},
    # Why a report was merged into the event (store.identity's rules)
    "joined.target.same_day": {
        "en": "merged: the same target the same day",
        "uk": "об'єднано: та сама ціль того ж дня",
    },
    "joined.target.later": {
        "en": "merged: a later report of the same target",
        "uk": "об'єднано: пізніше повідомлення про ту саму ціль",
    },
    "joined.target.day_before": {
        "en": "merged: the same target, dated a day later",
        "uk": "об'єднано: та сама ціль, датована днем пізніше",
    },
    "joined.target.untargeted": {
        "en": "merged: names what was hit in the same place and day's report",
        "uk": "об'єднано: називає ціль у повідомленні з того ж місця і дня",
    },
    "joined.no_target.same_day": {
        "en": "merged: no target named, the same place, day and figures",
        "uk": "об'єднано: без цілі, те саме місце, день і дані",
    },
    "joined.no_target.only_one": {
        "en": "merged: no target named, the only event of its kind there that day",
        "uk": "об'єднано: без цілі, єдина подія такого роду там того дня",
    },
    "joined.follow_up": {
        "en": "merged: a later report that gives no day of its own",
        "uk": "об'єднано: пізніше повідомлення без власної дати",
    },
    "joined.heard": {
        "en": "merged: explosions heard there that day, no target or figures of their own",
        "uk": "об'єднано: вибухи, почуті там того дня, без власної цілі чи даних",
    },
    "joined.toll_update": {
        "en": "merged: a later report of the toll of this happening",
        "uk": "об'єднано: пізніше повідомлення про кількість жертв цієї події",
    },
    "joined.atrocity": {
        "en": "merged: a later report of the killings found there, with no day of its own",
        "uk": "об'єднано: пізніше повідомлення про вбивства, виявлені там, без власної дати",
    },
    "joined.dated": {
        "en": "merged: a report that gives the day of one dated by its publication",
        "uk": "об'єднано: повідомлення, що дає дату події, датованої публікацією",
    },
    "joined.article": {
        "en": "merged: the headline or lead of the same article",
        "uk": "об'єднано: заголовок або вступ тієї самої статті",
    },
    "joined.apart": {
        "en": "kept apart: another happening at the same place and day",
        "uk": "окремо: інша подія в тому ж місці того ж дня",
    },
    "toll.history": {
        "en": "Killed, as reported over time",
        "uk": "Загиблі за повідомленнями з часом",
    },
    "sources.page": {
        "en": "{sources} ({n}), page {page}/{pages}",
        "uk": "{sources} ({n}), сторінка {page}/{pages}",
    },
    "casualties": {"en": "Casualties", "uk": "Жертви"},
    "killed": {"en": "killed", "uk": "загиблих"},
    "injured": {"en": "injured", "uk": "поранених"},
    "claim": {"en": "claim", "uk": "заява"},
    "via": {"en": "via", "uk": "за словами"},
    "claimed.by": {"en": "claimed by", "uk": "стверджує"},
    "actors": {"en": "Actors", "uk": "Сторони"},
    "around": {"en": "around {day}", "uk": "близько {day}"},
    "date.unknown": {"en": "date unknown", "uk": "дата невідома"},
    # --- totals ---
    "stats.events": {
        "en": "Events: {n} (from {articles})",
        "uk": "Подій: {n} ({articles})",
    },
    "stats.bound": {
        "en": "{what}: at least {total} in {events}, {missing} with no figure",
        "uk": "{what}: щонайменше {total} ({events}), без числа: {missing}",
    },
    "stats.nofigure": {
        "en": "{what}: no figure given in any of these events",
        "uk": "{what}: жодна з цих подій не називає числа",
    },
    "stats.killed": {"en": "Killed", "uk": "Загиблі"},
    "stats.injured": {"en": "Injured", "uk": "Поранені"},
    "stats.note": {
        "en": "Each event counts once, with the lowest figure its sources give: lower bounds,"
        " not totals of every report.",
        "uk": "Кожна подія рахується один раз, з найменшим числом її джерел: це нижні межі,"
        " а не сума всіх повідомлень.",
    },
    # --- more answers ---
    "button.expired": {
        "en": "That button has expired. Please send the command again.",
        "uk": "Ця кнопка застаріла. Надішліть команду ще раз.",
    },
    "latest.usage": {
        "en": "Usage: <code>/latest</code> or <code>/latest 10</code> (up to 20).",
        "uk": "Як: <code>/latest</code> або <code>/latest 10</code> (до 20).",
    },
    "search.what": {
        "en": "Search for what? For example: <code>/search hospital</code>",
        "uk": "Що шукати? Наприклад: <code>/search hospital</code>",
    },
    "search.title": {"en": "Events mentioning {words}", "uk": "Події зі словами {words}"},
    "search.none": {
        "en": "No events mention <b>{words}</b>. Try fewer words.",
        "uk": "Жодна подія не згадує <b>{words}</b>. Спробуйте менше слів.",
    },
    "event.usage": {
        "en": "Usage: <code>/event 12</code> — the number shown under each event"
        " (or tap its /e12).",
        "uk": "Як: <code>/event 12</code> — номер під кожною подією (або торкніться її /e12).",
    },
    "event.none": {
        "en": "There is no event {number}. Try /latest.",
        "uk": "Події {number} немає. Спробуйте /latest.",
    },
    "note.last_week": {
        "en": "The newest events are of {day}: the week up to that day.",
        "uk": "Найновіші події — за {day}: тиждень до цього дня.",
    },
    "export.none": {
        "en": "No events to export there and then. Try <code>/export Kharkiv</code>.",
        "uk": "Немає подій для вивантаження. Спробуйте <code>/export Kharkiv</code>.",
    },
    "export.caption": {"en": "{count} ({format})", "uk": "{count} ({format})"},
    "channel.usage": {
        "en": "Send <code>/channel @yourchannel subscribe Kharkiv</code> to me in a private chat:"
        " I check with Telegram that you administer the channel.",
        "uk": "Надішліть мені в приватному чаті <code>/channel @вашканал subscribe Kharkiv</code>:"
        " я перевірю в Telegram, що ви адмініструєте канал.",
    },
    "sub.added": {
        "en": "Subscribed to <b>{what}</b>. New events will arrive here as they are indexed.",
        "uk": "Підписано на <b>{what}</b>. Нові події надходитимуть сюди, щойно з'являться.",
    },
    "sub.again": {
        "en": "Already subscribed to <b>{what}</b>. New events will arrive here as they are"
        " indexed.",
        "uk": "Уже підписано на <b>{what}</b>. Нові події надходитимуть сюди, щойно з'являться.",
    },
    "sub.removed": {"en": "Unsubscribed ({n}).", "uk": "Підписок скасовано: {n}."},
    "sub.nothing": {
        "en": "Nothing to unsubscribe from. See /subscriptions.",
        "uk": "Немає чого скасовувати. Див. /subscriptions.",
    },
    "sub.none": {
        "en": "No subscriptions here. Try /subscribe Kharkiv.",
        "uk": "Тут немає підписок. Спробуйте /subscribe Kharkiv.",
    },
    "sub.title": {"en": "Subscriptions", "uk": "Підписки"},
    "sub.topic": {"en": " (topic {n})", "uk": " (тема {n})"},
    "sub.sound": {"en": "Sound: {state}", "uk": "Звук: {state}"},
    "on": {"en": "on", "uk": "увімкнено"},
    "off": {"en": "off", "uk": "вимкнено"},
    "digest.line": {
        "en": "Digest: daily at {at} {zone}, {mode}",
        "uk": "Підсумок: щодня о {at} {zone}, {mode}",
    },
    "digest.besides": {"en": "besides instant updates", "uk": "разом із миттєвими"},
    "digest.instead": {"en": "instead of instant updates", "uk": "замість миттєвих"},
    "digest.off": {
        "en": "Daily digest off; instant updates on.",
        "uk": "Щоденний підсумок вимкнено; миттєві оновлення увімкнено.",
    },
    "digest.set": {
        "en": "Daily digest at {at} ({zone}), {mode}.",
        "uk": "Щоденний підсумок о {at} ({zone}), {mode}.",
    },
    "digest.title": {
        "en": "<b>Daily digest, {day}</b> — {n} new or updated events",
        "uk": "<b>Підсумок дня, {day}</b> — нових або оновлених подій: {n}",
    },
    "digest.more": {"en": "… and {n} more: {command}", "uk": "… і ще {n}: {command}"},
    "push.update": {
        "en": "<b>Update</b> (new sources or figures)",
        "uk": "<b>Оновлення</b> (нові джерела або дані)",
    },
    "push.correction": {
        "en": "<b>Correction</b> (replaces event {id}, withdrawn)",
        "uk": "<b>Виправлення</b> (замість події {id}, відкликаної)",
    },
    "sub.min.sources": {"en": "min {n} sources", "uk": "щонайменше {n} джерел"},
    "sub.min.killed": {"en": "min {n} killed", "uk": "щонайменше {n} загиблих"},
    "sub.min.injured": {"en": "min {n} injured", "uk": "щонайменше {n} поранених"},
    "sub.min.casualties": {
        "en": "min {n} killed or injured",
        "uk": "щонайменше {n} загиблих і поранених",
    },
    "sub.export.button": {"en": "Export as a file", "uk": "Зберегти файлом"},
    "sub.export.caption": {
        "en": "This chat's subscriptions ({n}) and settings. Send this file back to me with the"
        " caption <code>/subscriptions import</code> (here or in another chat) to restore them.",
        "uk": "Підписки цього чату ({n}) і налаштування. Надішліть мені цей файл із підписом"
        " <code>/subscriptions import</code> (тут чи в іншому чаті), щоб відновити їх.",
    },
    "sub.import.usage": {
        "en": "Send the file from <code>/subscriptions export</code> with the caption"
        " <code>/subscriptions import</code>, or reply to that file with"
        " <code>/subscriptions import</code>.",
        "uk": "Надішліть файл із <code>/subscriptions export</code> з підписом"
        " <code>/subscriptions import</code> або дайте відповідь на цей файл командою"
        " <code>/subscriptions import</code>.",
    },
    "sub.import.bad": {
        "en": "I can't read that file: {reason} Nothing was changed.",
        "uk": "Не можу прочитати цей файл: {reason} Нічого не змінено.",
    },
    "sub.import.done": {
        "en": "Imported: {added} added, {kept} already here, {refused} refused.",
        "uk": "Імпортовано: додано {added}, уже були {kept}, відхилено {refused}.",
    },
    "sub.import.added": {"en": "Added:", "uk": "Додано:"},
    "sub.import.kept": {"en": "Already here:", "uk": "Уже були:"},
    "sub.import.refused": {"en": "Refused:", "uk": "Відхилено:"},
    "sub.import.nofile": {
        "en": "I can't read a file at {path}.",
        "uk": "Не можу прочитати файл {path}.",
    },
    "sub.import.download": {
        "en": "I could not fetch that file from Telegram. Please send it again.",
        "uk": "Не вдалося отримати цей файл від Telegram. Надішліть його ще раз.",
    },
    "subfile.toobig": {
        "en": "it is over {kb} KB, far more than a subscriptions file.",
        "uk": "він більший за {kb} КБ, а файл підписок набагато менший.",
    },
    "subfile.notjson": {
        "en": "it is not a JSON file from /subscriptions export.",
        "uk": "це не JSON-файл із /subscriptions export.",
    },
    "subfile.notours": {
        "en": "it is not a subscriptions file from /subscriptions export.",
        "uk": "це не файл підписок із /subscriptions export.",
    },
    "subfile.newer": {
        "en": "it was written by a newer version of the bot (format {version}; I read up to"
        " {ours}).",
        "uk": "його записала новіша версія бота (формат {version}; я читаю до {ours}).",
    },
    "subfile.toomany": {
        "en": "it has {n} subscriptions; a chat may import at most {most}.",
        "uk": "у ньому {n} підписок; чат може імпортувати щонайбільше {most}.",
    },
    "subfile.entry": {
        "en": "this entry of the file is damaged",
        "uk": "цей запис файлу пошкоджено",
    },
    "subfile.settings": {
        "en": "the file's sound and digest settings are damaged, so this chat's are kept",
        "uk": "налаштування звуку й підсумку у файлі пошкоджено, тож залишено налаштування чату",
    },
    "subfile.kind": {
        "en": "I don't know the kind '{kind}'",
        "uk": "не знаю виду '{kind}'",
    },
    "subfile.place": {
        "en": "I don't know a place called '{place}'",
        "uk": "не знаю місця '{place}'",
    },
    "quiet.usage": {"en": "Usage: /quiet on or /quiet off", "uk": "Як: /quiet on або /quiet off"},
    "quiet.set": {"en": "Quiet delivery is {state}.", "uk": "Тиха доставка: {state}."},
    "sources.none": {
        "en": "No articles are indexed yet. Run <code>sitrep index</code>.",
        "uk": "Статей ще немає. Запустіть <code>sitrep index</code>.",
    },
    "sources.title": {"en": "Indexed articles ({n})", "uk": "Опрацьовані статті ({n})"},
    "db.title": {"en": "Database", "uk": "База даних"},
    "db.articles": {"en": "Articles: {n}", "uk": "Статей: {n}"},
    "db.events": {
        "en": "Events: {n} ({multi} told by several articles)",
        "uk": "Подій: {n} (з них у кількох статтях: {multi})",
    },
    "db.dates": {"en": "Dates: {first} – {last}", "uk": "Дати: {first} – {last}"},
    "db.nodates": {"en": "Dates: none yet", "uk": "Дат ще немає"},
    "db.places": {
        "en": "Places with most events ({n} in all):",
        "uk": "Місця з найбільшою кількістю подій (усього {n}):",
    },
    "db.hint": {
        "en": "Totals for one place: <code>/stats Kharkiv March 2022</code>",
        "uk": "Підсумки для одного місця: <code>/stats Kharkiv March 2022</code>",
    },
    "read.nothing": {
        "en": "I found no place, date or event in that. Try a place (<code>Kharkiv</code>),"
        " a date (<code>2 March 2022</code>), words to search for, or /help.",
        "uk": "Не знайшов у цьому ні місця, ні дати, ні події. Спробуйте місце"
        " (<code>Харків</code>), дату (<code>2 березня 2022</code>), слова для пошуку або /help.",
    },
    "outside": {"en": " (outside Ukraine)", "uk": " (поза Україною)"},
    "inferred": {
        "en": " (place inferred from context)",
        "uk": " (місце встановлено з контексту)",
    },
}

# Oblasts as the gazetteer names them, in Ukrainian (kinds and targets: bot/data/kinds.toml).
LABELS_UK = {
    "Autonomous Republic of Crimea": "Автономна Республіка Крим",
    "Cherkasy Oblast": "Черкаська область",
    "Chernihiv Oblast": "Чернігівська область",
    "Chernivtsi Oblast": "Чернівецька область",
    "Dnipropetrovsk Oblast": "Дніпропетровська область",
    "Donetsk Oblast": "Донецька область",
    "Ivano-Frankivsk Oblast": "Івано-Франківська область",
    "Kharkiv Oblast": "Харківська область",
    "Kherson Oblast": "Херсонська область",
    "Khmelnytskyi Oblast": "Хмельницька область",
    "Kirovohrad Oblast": "Кіровоградська область",
    "Kyiv City": "Київ",
    "Kyiv Oblast": "Київська область",
    "Luhansk Oblast": "Луганська область",
    "Lviv Oblast": "Львівська область",
    "Mykolaiv Oblast": "Миколаївська область",
    "Odesa Oblast": "Одеська область",
    "Poltava Oblast": "Полтавська область",
    "Rivne Oblast": "Рівненська область",
    "Sevastopol": "Севастополь",
    "Sumy Oblast": "Сумська область",
    "Ternopil Oblast": "Тернопільська область",
    "Vinnytsia Oblast": "Вінницька область",
    "Volyn Oblast": "Волинська область",
    "Zakarpattia Oblast": "Закарпатська область",
    "Zaporizhzhia Oblast": "Запорізька область",
    "Zhytomyr Oblast": "Житомирська область",
}
# Letters only Ukrainian uses among the Cyrillic names, and letters it never uses (Russian,
# Belarusian, Serbian, Kazakh spellings in GeoNames' alternate names).
_UKRAINIAN_ONLY = frozenset("іїєґ")
_NOT_UKRAINIAN = frozenset("ыэъёўӳјћђљњ")
_MONTHS_UK = (
    "січ", "лют", "бер", "квіт", "трав", "черв", "лип", "серп", "вер", "жовт", "лист", "груд"
)  # fmt: skip
_WEEKDAYS_UK = ("пн", "вт", "ср", "чт", "пт", "сб", "нд")


def ukrainian_name(names: list[str]) -> str | None:
    """The Ukrainian spelling among a place's lower-case Cyrillic names ("харків", not
    "харьков" or "кіеў"): one with a letter only Ukrainian has, else the shortest without a
    letter Ukrainian lacks; title-cased."""
    fitting = [n for n in names if not _NOT_UKRAINIAN & set(n) and " " not in n.strip()]
    if not fitting:
        return None
    best = min(fitting, key=lambda n: (not _UKRAINIAN_ONLY & set(n), len(n), n))
    return "-".join(part[:1].upper() + part[1:] for part in best.split("-"))


def language(code: str | None) -> str:
    """The catalogue language for a Telegram language_code ("uk", "uk-UA"): English otherwise."""
    return "uk" if (code or "").lower().split("-")[0] == "uk" else DEFAULT


def t(key: str, lang: str = DEFAULT, **values: object) -> str:
    """The string for `key` in `lang`; KeyError for a key the table lacks (a test finds it)."""
    text = STRINGS[key][lang if lang in LANGUAGES else DEFAULT]
    return text.format(**values) if values else text


def count(n: int, lang: str = DEFAULT, what: str = "events") -> str:
    """How many events (or articles): "1 event", "12 events"; "1 подія", "подій: 12"."""
    return t(f"{what}.one", lang) if n == 1 else t(f"{what}.count", lang, n=n)


def label(text: str, lang: str = DEFAULT) -> str:
    """An oblast's name in the reader's language; English as stored otherwise."""
    return LABELS_UK.get(text, text) if lang == "uk" else text


def day(value: date, lang: str = DEFAULT, weekday: bool = True) -> str:
    """ "Wed 2 Mar 2022" / "ср 2 бер 2022"."""
    if lang != "uk":
        return value.strftime("%a %-d %b %Y" if weekday else "%-d %b %Y")
    text = f"{value.day} {_MONTHS_UK[value.month - 1]} {value.year}"
    return f"{_WEEKDAYS_UK[value.weekday()]} {text}" if weekday else text
