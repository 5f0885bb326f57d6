"""``screenkit init --lineup``: works and screenings from .xlsx, .ods and .csv, every error naming its cell."""

from __future__ import annotations

import shutil
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import SAMPLES, run_cli
from lineup_support import HEADER, WRITERS

from toolkit.init.lineup import (
    LineupErrors,
    column_index,
    column_letter,
    parse_runtime,
    parse_time,
    read_lineup,
)

PARIS = ZoneInfo("Europe/Paris")
VENUE = "Cinéma du Panthéon"
# 2026-03-28 15:00 as a spreadsheet serial number: the day before summer time.
SERIAL = (date(2026, 3, 28) - date(1899, 12, 30)).days + 15 / 24


def rows() -> list[list]:
    return [
        list(HEADER),
        ["Le Plateau laqué", "Lin Qiao", "CN", 2025, 5, "zh-Hans", VENUE, "Salle 1", "14/03/2026", "19:00", 10],
        ["Les Marées", "Chen Yu", "CN, FR", 2025, "4 min", "Mandarin", VENUE, "Salle 1", "14/03/2026", "19:00", ""],
        ["Électricité", "Zhou Ming, Léa Martin", "France", 2024, "0:03:00", "中文", VENUE, "Salle 2", "2026-03-29T21:00", "", ""],
        ["Le Plateau laqué", "", "", "", "", "", VENUE, "Salle 1", SERIAL, "", "5 min"],
    ]


def prefix(path: Path) -> str:
    return f"{path}:" if path.suffix == ".csv" else f"{path}:Programme!"


@pytest.fixture(params=sorted(WRITERS))
def kind(request: pytest.FixtureRequest) -> str:
    return request.param


def write(tmp_path: Path, kind: str, table: list[list]) -> Path:
    return WRITERS[kind](tmp_path / f"lineup.{kind}", table)


def test_works_and_screenings_with_the_day_s_utc_offset(tmp_path: Path, kind: str) -> None:
    lineup = read_lineup(write(tmp_path, kind, rows()), zone=PARIS)
    assert [w.title for w in lineup.works] == ["Le Plateau laqué", "Les Marées", "Électricité"]
    tray, tides, static = lineup.works
    assert (tray.directors, tray.countries, tray.year, tray.runtime) == (["Lin Qiao"], ["CN"], 2025, 300)
    assert (tides.countries, tides.runtime, [x.tag for x in tides.languages]) == (["CN", "FR"], 240, ["zh-Hans"])
    assert (static.directors, static.countries, static.runtime) == (["Zhou Ming", "Léa Martin"], ["FR"], 180)
    starts = [(s.start.isoformat(), s.screen, [w.title for w in s.works]) for s in lineup.screenings]
    assert [(s.intro_minutes, s.qa_minutes) for s in lineup.screenings] == [(10, None), (5, None), (None, None)]
    assert starts == [
        ("2026-03-14T19:00:00+01:00", "Salle 1", ["Le Plateau laqué", "Les Marées"]),
        ("2026-03-28T15:00:00+01:00", "Salle 1", ["Le Plateau laqué"]),  # the serial number
        ("2026-03-29T21:00:00+02:00", "Salle 2", ["Électricité"]),  # after the clocks went forward
    ]


def test_native_date_and_time_cells(tmp_path: Path) -> None:
    table = [HEADER, ["Film", "", "", "", "", "", VENUE, "1", date(2026, 7, 1), time(20, 30)],
             ["Autre film", "", "", "", "", "", VENUE, "1", datetime(2026, 12, 1, 18, 0), None]]
    for kind in ("xlsx", "ods"):
        lineup = read_lineup(write(tmp_path, kind, table), zone=PARIS)
        assert [s.start.isoformat() for s in lineup.screenings] == ["2026-07-01T20:30:00+02:00", "2026-12-01T18:00:00+01:00"]


def test_headers_in_french_and_chinese(tmp_path: Path, kind: str) -> None:
    french = ["Titre", "Réalisateur", "Pays", "Année", "Durée", "Langues", "Lieu", "Salle", "Date", "Heure"]
    chinese = ["片名", "导演", "国家", "年份", "片长", "语言", "场地", "影厅", "日期", "时间"]
    for header in (french, chinese):
        table = [header, ["漆案", "林乔", "中国", 2025, 5, "普通话", "中国文化中心", "放映厅", "2026年3月14日", "19时30分"]]
        lineup = read_lineup(write(tmp_path, kind, table), zone=PARIS)
        [work] = lineup.works
        assert (work.title, work.countries, work.runtime, work.languages[0].tag) == ("漆案", ["CN"], 300, "zh-Hans")
        assert lineup.screenings[0].start.isoformat() == "2026-03-14T19:30:00+01:00"


def test_columns_named_on_the_command_line(tmp_path: Path, kind: str) -> None:
    table = [["Film name", "Notes", "Jour", "Horaire"], ["Film", "copie DCP", "14/03/2026", "19:00"]]
    path = write(tmp_path, kind, table)
    lineup = read_lineup(path, zone=PARIS, columns={"title": "Film name", "date": "C"})
    assert [w.title for w in lineup.works] == ["Film"]
    assert lineup.screenings[0].start.isoformat() == "2026-03-14T19:00:00+01:00"
    assert lineup.notes == [f"{prefix(path)}B1: column 'Notes' is not used (--columns FIELD=B to use it)"]


def _errors(path: Path, **options: object) -> list[str]:
    with pytest.raises(LineupErrors) as caught:
        read_lineup(path, zone=PARIS, **options)  # type: ignore[arg-type]
    return caught.value.lines


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (2, "I", "31/02/2026", "date '31/02/2026' does not exist"),
        (3, "I", "2026-13-01", "date '2026-13-01' does not exist"),
        (2, "I", "next Friday", "date 'next Friday' is not a date (write 2026-03-14 or 14/03/2026)"),
        (3, "J", "25:61", "time '25:61' is not a time of day"),
        (3, "J", "soon", "time 'soon' is not a time of day (write 19:00)"),
        (2, "J", "02:30", None),  # fine on 14 March...
        (2, "A", "", "empty title (every row needs one)"),
        (3, "I", "", "empty date (every row needs one)"),
        (3, "G", "", "empty venue (every screening needs one)"),
        (2, "D", "MMXXV", "year 'MMXXV' is not a year (1888 to 2100)"),
        (2, "E", "long", "runtime 'long' is not a duration (minutes, or 1:30:00)"),
        (2, "K", "ten", "intro 'ten' is not a number of minutes"),
        (2, "C", "Atlantis", "country 'Atlantis' is not an ISO 3166 code (FR, CN) or a country screenkit knows by name"),
        (2, "F", "Klingon", "language 'Klingon' is not one screenkit knows"),
        (5, "B", "Someone Else", "duplicate title 'Le Plateau laqué' (row 2) with another director"),
        # the second Les Marées is Le Plateau laqué with another director: named at that cell
        (3, "A", "Le Plateau laqué", "B3: duplicate title 'Le Plateau laqué' (row 2) with another director"),
    ],
)
def test_every_error_names_its_cell(tmp_path: Path, kind: str, row: int, column: str, value: str, message: str | None) -> None:
    table = rows()
    table[row - 1][column_index(column)] = value
    path = write(tmp_path, kind, table)
    if message is None:
        assert read_lineup(path, zone=PARIS).screenings
        return
    expected = f"{prefix(path)}{message}" if message[:3] == "B3:" else f"{prefix(path)}{column}{row}: {message}"
    errors = _errors(path)
    assert any(line.startswith(expected) for line in errors), errors


def test_the_same_title_twice_in_one_screening(tmp_path: Path, kind: str) -> None:
    table = rows()
    table[2] = [table[1][0], "", "", "", "", "", VENUE, "Salle 1", "14/03/2026", "19:00"]
    path = write(tmp_path, kind, table)
    assert _errors(path) == [f"{prefix(path)}A3: duplicate title 'Le Plateau laqué': already in this screening (row 2)"]


def test_a_time_the_clocks_skip(tmp_path: Path, kind: str) -> None:
    table = rows()
    table[3][8:10] = ["29/03/2026", "02:30"]
    path = write(tmp_path, kind, table)
    assert _errors(path) == [f"{prefix(path)}J4: 02:30 does not exist on 2026-03-29 in Europe/Paris (the clocks go forward)"]


def test_unknown_column_and_missing_title_column(tmp_path: Path, kind: str) -> None:
    path = write(tmp_path, kind, rows())
    [line] = _errors(path, columns={"title": "Film"})
    assert line.startswith(f"{prefix(path)}1: unknown column 'Film' for title (the header row has 'Title', ")
    other = write(tmp_path, kind, [["Name", "When"], ["Un film", "14/03/2026"]])
    assert _errors(other) == [f"{prefix(other)}1: no header row with a Title column (Title, Titre or 片名; or --columns title=B)"]


def test_all_errors_at_once_and_nothing_written(tmp_path: Path, kind: str) -> None:
    table = rows()
    table[1][8] = "31/02/2026"
    table[2][9] = "25:00"
    path = write(tmp_path, kind, table)
    folder = tmp_path / "festival"
    folder.mkdir()
    result = run_cli("init", str(folder), "--lineup", str(path), "--timezone", "Europe/Paris")
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{prefix(path)}I2: date '31/02/2026' does not exist",
        f"{prefix(path)}J3: time '25:00' is not a time of day",
        f"{path}: 2 errors; nothing written",
    ]
    assert not (folder / "manifest.yaml").exists()


def test_the_time_zone_is_required_for_dates(tmp_path: Path) -> None:
    path = write(tmp_path, "csv", rows())
    folder = tmp_path / "festival"
    folder.mkdir()
    result = run_cli("init", str(folder), "--lineup", str(path))
    assert result.code == 2
    assert result.stderr.strip() == f"{path}: the lineup has dates: give the event's time zone, --timezone Europe/Paris"


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 5400), ("90 min", 5400), ("1:30:00", 5400), ("1h30", 5400), ("4'", 240), (7.5, 450)]
)
def test_runtimes(text: str | float, seconds: int) -> None:
    assert parse_runtime(text) == seconds


@pytest.mark.parametrize(("text", "hour", "minute"), [("19:00", 19, 0), ("19h", 19, 0), ("19h05", 19, 5), ("7:30 PM", 19, 30), (0.75, 18, 0)])
def test_times(text: str | float, hour: int, minute: int) -> None:
    assert parse_time(text) == time(hour, minute)


def test_column_letters_round_trip() -> None:
    for index in (0, 25, 26, 51, 701, 702):
        assert column_index(column_letter(index)) == index
    assert [column_letter(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]


def _draft(tmp_path: Path, lineup: Path, name: str) -> tuple[dict, str]:
    folder = tmp_path / name / "festival"
    for part in ("media", "subtitles"):
        shutil.copytree(SAMPLES / "paris-showcase" / part, folder / part)
    result = run_cli("init", str(folder), "--lineup", str(lineup), "--timezone", "Europe/Paris")
    assert result.code == 0, result.stderr
    checked = run_cli("validate", str(folder / "manifest.yaml"))
    assert checked.code == 0, checked.stdout + checked.stderr
    text = (folder / "manifest.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text), text


def test_the_sample_lineup_gives_the_sample_s_programme(tmp_path: Path) -> None:
    draft, text = _draft(tmp_path, SAMPLES / "paris-showcase" / "lineup.csv", "from-csv")
    sample = yaml.safe_load((SAMPLES / "paris-showcase" / "manifest.yaml").read_text(encoding="utf-8"))
    keys = ("start", "works", "intro_minutes", "qa_minutes")
    assert [[s[k] for k in keys] for s in draft["screenings"]] == [[s[k] for k in keys] for s in sample["screenings"]]
    assert draft["event"]["dates"] == {"start": "2026-03-14", "end": "2026-03-15"}
    works = {w["id"]: w for w in sample["works"]}
    for work in draft["works"]:
        known = works[work["id"]]
        for key in ("directors", "year", "country", "runtime", "original_language"):
            assert work[key] == known[key], key
        assert work["title"]["original"] == known["title"]["original"]
        assert work["title"]["fr"] == known["title"]["fr"]
    assert "lineup.csv:J2: 14/03/2026 19:00 in Europe/Paris (UTC+01:00)" in text


def test_the_sample_lineup_as_xlsx_and_ods_gives_the_same_draft(tmp_path: Path) -> None:
    import csv

    with (SAMPLES / "paris-showcase" / "lineup.csv").open(encoding="utf-8", newline="") as handle:
        table = [list(row) for row in csv.reader(handle)]
    from_csv, _ = _draft(tmp_path, SAMPLES / "paris-showcase" / "lineup.csv", "csv")
    for kind in ("xlsx", "ods"):
        path = WRITERS[kind](tmp_path / f"lineup.{kind}", table)
        assert _draft(tmp_path, path, kind)[0] == from_csv


def test_a_french_excel_csv_export_semicolons_and_cp1252(tmp_path: Path) -> None:
    table = rows()
    table[3][5] = "chinois"  # cp1252 has no Chinese
    path = WRITERS["csv"](tmp_path / "export.csv", table, delimiter=";", encoding="cp1252")
    lineup = read_lineup(path, zone=PARIS)
    assert [w.title for w in lineup.works] == ["Le Plateau laqué", "Les Marées", "Électricité"]
    assert lineup.screenings[0].venue == VENUE


def test_the_sheet_option(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["nothing here"])
    programme = book.create_sheet("Programme")
    for row in rows():
        programme.append(row)
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert [w.title for w in read_lineup(path, zone=PARIS, sheet="Programme").works][:1] == ["Le Plateau laqué"]
    [line] = _errors(path)  # the first sheet has no header
    assert line.startswith(f"{path}:Notes!1: no header row with a Title column")
    folder = tmp_path / "festival"
    folder.mkdir()
    result = run_cli("init", str(folder), "--lineup", str(path), "--sheet", "Prog", "--timezone", "Europe/Paris")
    assert (result.code, result.stderr.strip()) == (2, f"{path}: no sheet 'Prog' (sheets: Notes, Programme)")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("broken.xlsx", b"PK\x03\x04 not really a workbook", "not a readable spreadsheet"),
    ("lineup.pdf", b"%PDF-1.4", "not a lineup file type (.pdf); give .xlsx, .ods or .csv"),
])
def test_a_lineup_that_cannot_be_read(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    folder = tmp_path / "festival"
    folder.mkdir()
    result = run_cli("init", str(folder), "--lineup", str(path), "--timezone", "Europe/Paris")
    assert result.code == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{path}: {message}") and len(result.stderr.strip().splitlines()) == 1
    assert not (folder / "manifest.yaml").exists()


def test_the_sample_xlsx_lineup_dates_in_date_cells_gives_the_csv_s_draft(tmp_path: Path) -> None:
    from_csv, _ = _draft(tmp_path, SAMPLES / "paris-showcase" / "lineup.csv", "csv")
    from_xlsx, text = _draft(tmp_path, SAMPLES / "paris-showcase" / "lineup.xlsx", "xlsx")
    assert from_xlsx == from_csv
    assert "lineup.xlsx:Programme!J2: 14/03/2026 19:00 in Europe/Paris (UTC+01:00)" in text


def test_a_time_that_happens_twice_is_read_as_the_first_and_said(tmp_path: Path, kind: str) -> None:
    table = rows()
    table[3][8:10] = ["25/10/2026", "02:30"]
    path = write(tmp_path, kind, table)
    lineup = read_lineup(path, zone=PARIS)
    assert "2026-10-25T02:30:00+02:00" in [s.start.isoformat() for s in lineup.screenings]
    assert lineup.notes == [
        f"{prefix(path)}J4: 02:30 happens twice on 2026-10-25 in Europe/Paris (the clocks go back); read as the first, UTC+02:00"
    ]


@pytest.mark.parametrize(("option", "message"), [
    ("colour=B", "--columns: unknown field 'colour' (fields: title, "),
    ("title", "--columns: 'title' is not FIELD=COLUMN (e.g. title=B or title=Film)"),
])
def test_bad_columns_option(tmp_path: Path, option: str, message: str) -> None:
    path = write(tmp_path, "csv", rows())
    result = run_cli("init", str(tmp_path), "--lineup", str(path), "--columns", option, "--timezone", "UTC")
    assert result.code == 2 and "Traceback" not in result.stderr
    assert message in result.stderr


def test_columns_needs_a_lineup(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path), "--columns", "title=B")
    assert result.code == 2 and "--columns is for --lineup" in result.stderr
