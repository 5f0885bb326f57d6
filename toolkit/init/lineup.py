"""A festival lineup from a spreadsheet (.xlsx, .ods through python-calamine; .csv through the stdlib).

One row per work in a screening: Title, Director, Country, Year, Runtime,
Languages, Venue, Screen, Date and Time (or one Date-and-time column). The header
row is found by name, in English, French or Chinese (``Titre``, ``片名``...);
``--columns title=B,date=Start day`` names other columns by letter or header
text. Rows sharing venue, screen and start are one screening, in row order (a
shorts programme). Dates and times are read in the event's time zone, with the
UTC offset of that day (summer time).

Every problem names its cell, ``lineup.xlsx:Programme!C7: date '31/02/2026' does
not exist``; all of them are collected before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from toolkit.errors import EXIT_USAGE, ScreenkitError
from toolkit.languages import (
    EN,
    FR,
    TAGS,
    ZH_HANS,
    ZH_HANT,
    ZH_HANT_HK,
    ZH_HANT_TW,
    Language,
    lookup,
)

Cell = str | int | float | bool | date | datetime | time | timedelta | None

SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")

# field → (header names, the language a title column of that name is in)
HEADERS: dict[str, tuple[str, ...]] = {
    "title": ("title", "film", "titre", "片名", "标题", "影片", "作品", "片名(中文)"),
    "original_title": ("original title", "titre original", "原名", "原片名", "原始片名"),
    "director": ("director", "directors", "réalisateur", "réalisatrice", "réalisation", "导演"),
    "country": ("country", "countries", "pays", "国家", "国家/地区", "地区"),
    "year": ("year", "année", "年份", "年代", "年"),
    "runtime": ("runtime", "duration", "length", "durée", "片长", "时长"),
    "languages": ("language", "languages", "langue", "langues", "语言", "语种"),
    "venue": ("venue", "lieu", "场地", "地点", "影院"),
    "screen": ("screen", "room", "salle", "影厅", "放映厅"),
    "city": ("city", "ville", "城市"),
    "date": ("date", "日期", "放映日期"),
    "time": ("time", "start time", "heure", "horaire", "时间", "开始时间", "放映时间"),
    "datetime": ("date and time", "date/time", "datetime", "start", "date et heure", "début", "开始"),
    "programme": ("programme", "program", "screening", "session", "section", "séance", "单元", "场次"),
    "file": ("file", "video", "fichier", "vidéo", "文件", "视频"),
    "intro": ("intro", "introduction", "présentation", "介绍", "开场"),
    "qa": ("q&a", "qa", "débat", "rencontre", "discussion", "映后交流", "交流"),
}
FIELD_NAMES = tuple(HEADERS)
TITLE_LANGUAGE = {"title": EN, "film": EN, "titre": FR}  # other title headers: Chinese

_LANGUAGE_NAMES: dict[str, Language] = {
    "chinese": ZH_HANS, "mandarin": ZH_HANS, "chinois": ZH_HANS, "中文": ZH_HANS, "汉语": ZH_HANS,
    "普通话": ZH_HANS, "国语": ZH_HANT_TW, "華語": ZH_HANT, "中文（简体）": ZH_HANS, "中文（繁體）": ZH_HANT,
    "cantonese": ZH_HANT_HK, "cantonais": ZH_HANT_HK, "粤语": ZH_HANT_HK, "粵語": ZH_HANT_HK,
    "english": EN, "anglais": EN, "英语": EN, "英文": EN,
    "french": FR, "français": FR, "francais": FR, "法语": FR, "法文": FR,
}
_COUNTRY_NAMES: dict[str, str] = {
    "china": "CN", "chine": "CN", "中国": "CN", "中國": "CN", "prc": "CN",
    "france": "FR", "法国": "FR", "法國": "FR",
    "taiwan": "TW", "台湾": "TW", "臺灣": "TW", "台灣": "TW",
    "hong kong": "HK", "hongkong": "HK", "香港": "HK", "macau": "MO", "macao": "MO", "澳门": "MO",
    "united kingdom": "GB", "uk": "GB", "royaume-uni": "GB", "英国": "GB",
    "united states": "US", "usa": "US", "états-unis": "US", "etats-unis": "US", "美国": "US",
    "germany": "DE", "allemagne": "DE", "德国": "DE", "belgium": "BE", "belgique": "BE", "比利时": "BE",
    "switzerland": "CH", "suisse": "CH", "瑞士": "CH", "canada": "CA", "加拿大": "CA",
    "japan": "JP", "japon": "JP", "日本": "JP", "korea": "KR", "south korea": "KR", "corée": "KR",
    "韩国": "KR", "singapore": "SG", "singapour": "SG", "新加坡": "SG", "italy": "IT", "italie": "IT",
    "意大利": "IT", "spain": "ES", "espagne": "ES", "西班牙": "ES", "luxembourg": "LU", "卢森堡": "LU",
}
_SPLIT = re.compile(r"\s*(?:[,;/、，；]|\s&\s|\set\s|\sand\s)\s*")


class LineupErrors(ScreenkitError):
    """Problems of a lineup, every one naming its cell (exit 2: the input cannot be read)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines[0] if lines else "lineup", exit_code=EXIT_USAGE)
        self.lines = lines

    def __str__(self) -> str:
        return "\n".join(self.lines)


@dataclass
class LineupWork:
    title: str
    row: int
    titles: dict[str, str] = field(default_factory=dict)  # language tag → title
    original_title: str | None = None
    directors: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    year: int | None = None
    runtime: int | None = None  # seconds
    languages: list[Language] = field(default_factory=list)
    file: str | None = None
    cells: dict[str, str] = field(default_factory=dict)  # field → its cell (C7), for comments


@dataclass
class LineupScreening:
    venue: str
    screen: str
    start: datetime  # aware, in the event's zone
    row: int
    works: list[LineupWork] = field(default_factory=list)
    programme: str | None = None
    city: str | None = None
    cell: str = ""  # where its start was read: lineup.csv:J2
    intro_minutes: int | None = None
    qa_minutes: int | None = None


@dataclass
class Lineup:
    source: str  # the file as given
    sheet: str | None
    works: list[LineupWork] = field(default_factory=list)
    screenings: list[LineupScreening] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for stderr: columns not used, times read one way
    language: Language = EN  # of its text, by the title column's header (Titre: fr, 片名: zh-Hans)

    def where(self, column: int | None, row: int) -> str:
        return _where(self.source, self.sheet, column, row)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    value = 0
    for char in letters:
        value = value * 26 + ord(char) - 64
    return value - 1


def _where(source: str, sheet: str | None, column: int | None, row: int) -> str:
    cell = f"{column_letter(column)}{row}" if column is not None else f"{row}"
    return f"{source}:{sheet}!{cell}" if sheet else f"{source}:{cell}"


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold().strip().rstrip(":：").strip()
    text = re.sub(r"\s*[(（\[].*?[)）\]]\s*$", "", text)  # Runtime (min), 片长（分钟）
    return " ".join(text.split())


_ALIASES = {_norm(name): name_field for name_field, names in HEADERS.items() for name in names}


def read_rows(path: Path, source: str, sheet: str | None = None) -> tuple[str | None, list[list[Cell]]]:
    """(the sheet's name, or None for CSV; its rows)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ScreenkitError("no such file" if not path.exists() else "is a folder, not a lineup", path=source)
    if suffix == ".csv" or suffix == ".tsv" or suffix == ".txt":
        if sheet:
            raise ScreenkitError("a CSV file has no sheets; --sheet is for .xlsx and .ods", path=source)
        return None, _read_csv(path, source)
    if suffix in SPREADSHEET_EXTENSIONS:
        return _read_workbook(path, source, sheet)
    raise ScreenkitError(
        f"not a lineup file type ({suffix or 'no extension'}); give .xlsx, .ods or .csv", path=source
    )


def _read_csv(path: Path, source: str) -> list[list[Cell]]:
    from toolkit.fsutil import read_input_bytes
    from toolkit.subtitles.encoding import decode

    data = read_input_bytes(path, kind="lineup", max_bytes=32 * 1024 * 1024)
    text = decode(data, path=source).text
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise ScreenkitError(f"not a readable CSV file: {error}", path=source) from None


def _read_workbook(path: Path, source: str, sheet: str | None) -> tuple[str, list[list[Cell]]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own types for every broken file
        detail = " ".join(str(error).split())[:200]
        raise ScreenkitError(f"not a readable spreadsheet: {detail}", path=source) from None
    names = list(book.sheet_names)
    if not names:
        raise ScreenkitError("the spreadsheet has no sheets", path=source)
    chosen = sheet or names[0]
    if chosen not in names:
        raise ScreenkitError(f"no sheet {chosen!r} (sheets: {', '.join(names)})", path=source)
    try:
        rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception as error:
        detail = " ".join(str(error).split())[:200]
        raise ScreenkitError(f"sheet {chosen!r} cannot be read: {detail}", path=source) from None
    return chosen, [list(row) for row in rows]


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split()) if cell is not None else ""


def parse_columns(option: str | None) -> dict[str, str]:
    """``title=B,date=Start day`` → {"title": "B", "date": "Start day"}; a usage error otherwise."""
    mapping: dict[str, str] = {}
    for part in (option or "").split(","):
        if not part.strip():
            continue
        name, equals, column = part.partition("=")
        name = name.strip().lower().replace("-", "_")
        if not equals or not column.strip():
            raise ScreenkitError(f"--columns: {part.strip()!r} is not FIELD=COLUMN (e.g. title=B or title=Film)")
        if name not in HEADERS:
            raise ScreenkitError(f"--columns: unknown field {name!r} (fields: {', '.join(FIELD_NAMES)})")
        mapping[name] = column.strip()
    return mapping


_LETTERS = re.compile(r"[A-Z]{1,3}")


def _header(
    rows: list[list[Cell]], given: dict[str, str], where: Callable[[int | None, int], str]
) -> tuple[int, dict[str, int], list[str], list[str]]:
    """(index of the header row, field → column, titles' header texts by column, errors)."""
    errors: list[str] = []
    for index, row in enumerate(rows[:20]):  # noqa: B007 (the header row's index is kept)
        found = {_ALIASES[_norm(c)]: i for i, c in reversed(list(enumerate(row))) if isinstance(c, str) and _norm(c) in _ALIASES}
        named_by_text = any(not _LETTERS.fullmatch(v) for v in given.values())
        texts = {_norm(c): i for i, c in enumerate(row) if isinstance(c, str) and c.strip()}
        if "title" in found or "title" in given or (named_by_text and any(_norm(v) in texts for v in given.values())):
            break
    else:
        return -1, {}, [], [f"{where(None, 1)}: no header row with a Title column (Title, Titre or 片名; or --columns title=B)"]
    columns = dict(found)
    for name, column in given.items():
        if _LETTERS.fullmatch(column):
            columns[name] = column_index(column)
        elif _norm(column) in texts:
            columns[name] = texts[_norm(column)]
        else:
            headers = ", ".join(repr(_text(c)) for c in row if not _blank(c)) or "none"
            errors.append(f"{where(None, index + 1)}: unknown column {column!r} for {name} (the header row has {headers})")
    if "title" not in columns and not errors:
        errors.append(f"{where(None, index + 1)}: no Title column (Title, Titre or 片名; or --columns title=B)")
    if "datetime" in columns and "date" in columns and "datetime" not in given:
        del columns["datetime"]
    return index, columns, [_text(c) for c in row], errors


class CellError(Exception):
    pass


def parse_date(cell: Cell) -> tuple[date, time | None]:
    """A date, with the time when the cell holds one too."""
    if isinstance(cell, datetime):
        return cell.date(), (cell.time() if cell.time() != time(0) else None)
    if isinstance(cell, date):
        return cell, None
    if isinstance(cell, bool):
        raise CellError(f"date {_text(cell)!r} is not a date")
    if isinstance(cell, (int, float)):
        return _serial(float(cell))
    text = _text(cell)
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]+(.+))?", text) or re.fullmatch(
        r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?(?:\s*(.+))?", text
    )
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[T ]+(.+))?", text)
        if not match:
            if re.fullmatch(r"\d+(?:\.\d+)?", text):
                return _serial(float(text))
            raise CellError(f"date {text!r} is not a date (write 2026-03-14 or 14/03/2026)")
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    try:
        day_value = date(year, month, day)
    except ValueError:
        raise CellError(f"date {text!r} does not exist") from None
    rest = match[4]
    if rest:
        try:
            return day_value, parse_time(_strip_offset(rest))
        except CellError:
            raise CellError(f"time in {text!r} is not a time of day") from None
    return day_value, None


def _strip_offset(text: str) -> str:
    # 2026-03-14T19:00+01:00: the zone's offset is ours to compute; a written one is dropped.
    return re.sub(r"(?:Z|[+-]\d{2}:?\d{2})$", "", text.strip())


def _serial(value: float) -> tuple[date, time | None]:
    """An Excel serial date (days since 1899-12-30; the fraction is the time of day)."""
    if not 1 <= value < 2958466:
        raise CellError(f"date {_text(value)!r} is not a date (a number here is a spreadsheet serial date)")
    moment = datetime(1899, 12, 30) + timedelta(days=value)
    moment = (moment + timedelta(seconds=30)).replace(second=0, microsecond=0)  # to the minute
    return moment.date(), (moment.time() if value % 1 else None)


def parse_time(cell: Cell) -> time:
    if isinstance(cell, datetime):
        return cell.time().replace(second=0, microsecond=0)
    if isinstance(cell, time):
        return cell.replace(second=0, microsecond=0)
    if isinstance(cell, timedelta):
        minutes = round(cell.total_seconds() / 60)
        if 0 <= minutes < 24 * 60:
            return time(minutes // 60, minutes % 60)
        raise CellError(f"time {_text(cell)!r} is not a time of day")
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and 0 <= cell < 1:
        minutes = round(float(cell) * 24 * 60)
        return time(minutes // 60 % 24, minutes % 60)
    text = _text(cell)
    match = re.fullmatch(r"(\d{1,2})\s*(?:[:h時时点]\s*(\d{2})?)?(?::(\d{2}))?\s*(分)?\s*([ap]\.?m\.?)?", text, re.IGNORECASE)
    if not match or (match[2] is None and match[5] is None and not re.search(r"[h時时点]", text)):
        raise CellError(f"time {text!r} is not a time of day (write 19:00)")
    hour, minute = int(match[1]), int(match[2] or 0)
    meridian = (match[5] or "").lower().replace(".", "")
    if meridian:
        if not 1 <= hour <= 12:
            raise CellError(f"time {text!r} is not a time of day")
        hour = hour % 12 + (12 if meridian == "pm" else 0)
    if hour > 23 or minute > 59 or (match[3] is not None and int(match[3]) > 59):
        raise CellError(f"time {text!r} is not a time of day")
    return time(hour, minute)


def parse_runtime(cell: Cell) -> int:
    """Seconds, from minutes (``90``, ``90 min``, ``90'``) or ``1:30:00`` / ``1h30``."""
    if isinstance(cell, timedelta):
        seconds = round(cell.total_seconds())
    elif isinstance(cell, time):
        seconds = cell.hour * 3600 + cell.minute * 60 + cell.second
    elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
        seconds = round(float(cell) * 60) if cell >= 1 else round(float(cell) * 86400)  # a fraction: a time cell
    else:
        text = _text(cell).lower()
        if match := re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(?:min|mins|minutes|mn|m|'|′|分钟|分)?", text):
            seconds = round(float(match[1].replace(",", ".")) * 60)
        elif match := re.fullmatch(r"(\d+):(\d{2})(?::(\d{2}))?", text):
            seconds = int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3] or 0)
        elif match := re.fullmatch(r"(\d+)\s*h\s*(\d{1,2})?\s*(?:min|mn|m)?", text):
            seconds = int(match[1]) * 3600 + int(match[2] or 0) * 60
        else:
            raise CellError(f"runtime {_text(cell)!r} is not a duration (minutes, or 1:30:00)")
    if not 1 <= seconds <= 86400:
        raise CellError(f"runtime {_text(cell)!r} is not a film's length")
    return seconds


def parse_minutes(cell: Cell) -> int:
    """Whole minutes of an introduction or a Q&A (``10``, ``10 min``)."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        value = float(cell)
    else:
        match = re.fullmatch(r"(\d+)\s*(?:min|mins|minutes|mn|m|'|分钟|分)?", _text(cell).lower())
        if not match:
            raise CellError(f"{_text(cell)!r} is not a number of minutes")
        value = float(match[1])
    if not value.is_integer() or not 0 <= value <= 600:
        raise CellError(f"{_text(cell)!r} is not a number of minutes (0 to 600)")
    return int(value)


def parse_year(cell: Cell) -> int:
    if isinstance(cell, (date, datetime)):
        return cell.year
    text = _text(cell)
    if not re.fullmatch(r"\d{4}", text) or not 1888 <= int(text) <= 2100:
        raise CellError(f"year {text!r} is not a year (1888 to 2100)")
    return int(text)


def parse_countries(cell: Cell) -> list[str]:
    codes: list[str] = []
    for part in _SPLIT.split(_text(cell)):
        if not part:
            continue
        code = part.upper() if re.fullmatch(r"[A-Za-z]{2}", part) else _COUNTRY_NAMES.get(_norm(part))
        if code is None:
            raise CellError(f"country {part!r} is not an ISO 3166 code (FR, CN) or a country screenkit knows by name")
        if code not in codes:
            codes.append(code)
    return codes


def parse_languages(cell: Cell) -> list[Language]:
    found: list[Language] = []
    for part in _SPLIT.split(_text(cell)):
        if not part:
            continue
        language = lookup(part) or _LANGUAGE_NAMES.get(_norm(part))
        if language is None:
            raise CellError(f"language {part!r} is not one screenkit knows ({', '.join(TAGS)}, or their names)")
        if language not in found:
            found.append(language)
    return found


def parse_people(cell: Cell) -> list[str]:
    return [part for part in re.split(r"\s*(?:[,;/、，；]|\s&\s)\s*", _text(cell)) if part]


def local_start(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The aware start; a time the clocks skip (summer time) is an error."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=zone)
    back = aware.astimezone(timezone.utc).astimezone(zone)
    if back.replace(tzinfo=None) != naive:
        raise CellError(f"{at:%H:%M} does not exist on {day} in {zone.key} (the clocks go forward)")
    return aware


def _offset_text(moment: datetime) -> str:
    text = moment.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def read_lineup(
    path: Path,
    *,
    zone: ZoneInfo | None,
    source: str | None = None,
    sheet: str | None = None,
    columns: dict[str, str] | None = None,
) -> Lineup:
    """The works and screenings of a lineup; LineupErrors naming every bad cell."""
    source = source or str(path)
    sheet_name, rows = read_rows(path, source, sheet)
    lineup = Lineup(source=source, sheet=sheet_name)
    header_index, fields, header_texts, errors = _header(rows, columns or {}, lineup.where)
    if errors:
        raise LineupErrors(errors)
    title_header = _norm(header_texts[fields["title"]]) if fields["title"] < len(header_texts) else "title"
    lineup.language = TITLE_LANGUAGE.get(title_header, ZH_HANS)
    used = set(fields.values())
    for index, text in enumerate(header_texts):
        if text and index not in used:
            lineup.notes.append(
                f"{lineup.where(index, header_index + 1)}: column {text!r} is not used "
                f"(--columns FIELD={column_letter(index)} to use it)"
            )
    has_time = any(name in fields for name in ("date", "datetime"))
    if has_time and zone is None:
        raise ScreenkitError(
            "the lineup has dates: give the event's time zone, --timezone Europe/Paris", path=source
        )
    by_title: dict[str, LineupWork] = {}
    slots: dict[tuple[str, str, datetime], LineupScreening] = {}
    for offset, row in enumerate(rows[header_index + 1 :]):
        number = header_index + 2 + offset
        if all(_blank(cell) for cell in row):
            continue
        errors.extend(_row(lineup, row, number, fields, header_texts, zone, by_title, slots))
    if errors:
        raise LineupErrors(errors)
    if not lineup.works:
        raise LineupErrors([f"{lineup.where(None, header_index + 2)}: the lineup has no rows under its header"])
    lineup.screenings = sorted(slots.values(), key=lambda s: (s.start, s.venue, s.screen))
    return lineup


_WORK_FIELDS = ("director", "country", "year", "runtime", "languages", "original_title", "file")


def _row(
    lineup: Lineup,
    row: list[Cell],
    number: int,
    fields: dict[str, int],
    header_texts: list[str],
    zone: ZoneInfo | None,
    by_title: dict[str, LineupWork],
    slots: dict[tuple[str, str, datetime], LineupScreening],
) -> list[str]:
    errors: list[str] = []

    def cell(name: str) -> Cell:
        index = fields.get(name)
        return row[index] if index is not None and index < len(row) else None

    def at(name: str) -> str:
        return lineup.where(fields.get(name), number)

    def required(name: str, label: str) -> Cell | None:
        value = cell(name)
        if _blank(value):
            errors.append(f"{at(name)}: empty {label} (every row needs one)")
            return None
        return value

    title_cell = required("title", "title")
    work = LineupWork(title=_text(title_cell) if title_cell is not None else "", row=number)
    parsers = {
        "director": ("directors", parse_people),
        "country": ("countries", parse_countries),
        "year": ("year", parse_year),
        "runtime": ("runtime", parse_runtime),
        "languages": ("languages", parse_languages),
    }
    for name, (attribute, parse) in parsers.items():
        value = cell(name)
        if _blank(value):
            continue
        try:
            setattr(work, attribute, parse(value))
            work.cells[name] = at(name).rpartition(":")[2]
        except CellError as error:
            errors.append(f"{at(name)}: {error}")
    if not _blank(cell("original_title")):
        work.original_title = _text(cell("original_title"))
    if not _blank(cell("file")):
        work.file = _text(cell("file"))
    if work.title and work.original_title:
        work.titles[lineup.language.tag] = work.title

    start: datetime | None = None
    if "date" in fields or "datetime" in fields:
        key = "datetime" if "datetime" in fields else "date"
        day_cell = required(key, "date")
        day: date | None = None
        at_time: time | None = None
        if day_cell is not None:
            try:
                day, at_time = parse_date(day_cell)
            except CellError as error:
                errors.append(f"{at(key)}: {error}")
        if "time" in fields and not _blank(cell("time")):
            try:
                at_time = parse_time(cell("time"))
            except CellError as error:
                errors.append(f"{at('time')}: {error}")
                at_time, day = None, None
        elif at_time is None and day is not None:
            errors.append(f"{at('time' if 'time' in fields else key)}: empty start time (every screening needs one)")
        if day is not None and at_time is not None and zone is not None:
            where_time = at("time" if "time" in fields and not _blank(cell("time")) else key)
            try:
                start = local_start(day, at_time, zone)
            except CellError as error:
                errors.append(f"{where_time}: {error}")
            else:
                later = start.replace(fold=1)
                if later.utcoffset() != start.utcoffset():
                    lineup.notes.append(
                        f"{where_time}: {at_time:%H:%M} happens twice on {day} in {zone.key} (the clocks go back); "
                        f"read as the first, UTC{_offset_text(start)}"
                    )
    venue = _text(cell("venue")) if "venue" in fields else ""
    screen = _text(cell("screen")) if "screen" in fields else ""
    if start is not None and "venue" in fields and not venue:
        errors.append(f"{at('venue')}: empty venue (every screening needs one)")

    if not work.title:
        return errors
    known = by_title.get(work.title.casefold())
    if known is not None:
        for name in _WORK_FIELDS:
            attribute = parsers[name][0] if name in parsers else name
            mine, theirs = getattr(work, attribute), getattr(known, attribute)
            if mine and theirs and mine != theirs:
                errors.append(
                    f"{at(name)}: duplicate title {work.title!r} (row {known.row}) with another "
                    f"{name.replace('_', ' ')}; one title is one work: rename one of them"
                )
                return errors
        work = known
    if start is not None:
        key_slot = (venue, screen, start)
        screening = slots.get(key_slot)
        if screening is None:
            screening = slots[key_slot] = LineupScreening(
                venue=venue, screen=screen, start=start, row=number, cell=at("datetime" if "datetime" in fields else "date")
            )
            if not _blank(cell("programme")):
                screening.programme = _text(cell("programme"))
            if not _blank(cell("city")):
                screening.city = _text(cell("city"))
        for name in ("intro", "qa"):
            if not _blank(cell(name)) and getattr(screening, f"{name}_minutes") is None:
                try:
                    setattr(screening, f"{name}_minutes", parse_minutes(cell(name)))
                except CellError as error:
                    errors.append(f"{at(name)}: {'intro' if name == 'intro' else 'Q&A'} {error}")
        if work in screening.works:
            first = next(w for w in screening.works if w is work)
            errors.append(f"{at('title')}: duplicate title {work.title!r}: already in this screening (row {first.row})")
            return errors
        screening.works.append(work)
    elif known is not None:
        errors.append(f"{at('title')}: duplicate title {work.title!r} (row {known.row})")
        return errors
    if known is None and not errors:
        by_title[work.title.casefold()] = work
        lineup.works.append(work)
    return errors
