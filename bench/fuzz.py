"""Fuzzing harness: inputs that must never crash screenkit, only be read or refused.

Drives, with mutated real files (``../shared/corpus``, ``samples/``) and with
hypothesis strategies:

- ``subtitles``: every registered subtitle reader (``parse_text`` / ``read_bytes`` of each
  format, the XML ones included: DCP Interop and SMPTE, IMSC, EBU-TT-D), seeded with real
  files and with a small track written in every format; XML inputs also get mutations
  aimed at XML readers (deep nesting, entity declarations, numbers at their limits in
  time, rate and position attributes);
- ``readback``: what parsed, written in each format and read back: the cues must be the
  same (``read_back_check``), else a read-back failure;
- ``lint``: QC and the safe fixes (``lint_track``, ``fix_track``) on what parsed;
- ``manifest``: the manifest loader (YAML and JSON, with positions);
- ``check``: ``check_manifest`` (schema and semantic checks) on what loaded.

Any exception but a ``ScreenkitError`` is a crash (a read-back difference is a
``readback`` finding); any input slower than
``--slow`` CPU seconds (default 1) is a hang. Both are reported minimised
(chunks and lines removed while the failure stays), and written to
``--save DIR``. Exit status 1 when there is any.

    .venv/bin/python bench/fuzz.py --inputs 5000            # N inputs over all targets
    .venv/bin/python bench/fuzz.py --seconds 600 --json     # for T seconds
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.errors import ScreenkitError  # noqa: E402

SHARED = Path(os.environ.get("SCREENKIT_SHARED", ROOT.parent / "shared"))
SUBTITLE_SUFFIXES = {".srt": "srt", ".vtt": "vtt", ".ass": "ass", ".ssa": "ssa", ".xml": "dcp-interop", ".ttml": "imsc"}
MAX_SEED_BYTES = 8 * 1024  # larger seeds are cut: inputs per second matter more than their tail
HANG_SECONDS = 20  # an input still running after this much CPU time is stopped (and reported)

# Values that broke, or could break, a check: numbers, dates, rates, paths, markup.
TOKENS = [
    ".inf", "-.inf", ".nan", "1e400", "-1e400", "99999999999999999999", "9" * 5000, "0", "-1", "1e20",
    "9999-12-31T23:59:59+01:00", "0001-01-01T00:00:00+01:00", "2026-02-30", "25/0", "0/0", "0", "1/99999",
    "'http://['", "http://:x", "\"\\ud800\"", "a" * 300, "../../etc/passwd", "/etc/passwd", "*a", "&a", "<<",
    "!!python/object:os.system", "!!binary", "{", "[", "}", "]", ":", "- ", "\t", "\ufeff", "\x00", "\u2028",
    "-->", "00:00:00,000 --> 99:59:59,999", "-00:00:01,000", "99:99:99.999", "{\\pos(1,2)}", "{\\p1}m 0 0 l 1 1",
    "<i>", "</i>", "<b><i>", "[Script Info]", "[Events]", "[V4+ Styles]", "Dialogue: 0,", "WEBVTT", "NOTE",
    "STYLE", "::cue", "<c.x>", "&amp;", "&#xD800;", "<?xml version='1.0'?>", "<!DOCTYPE x [<!ENTITY a 'a'>]>",
    "\u202e", "中文", "，", "…", "\r", "\r\n", "\n\n", " " * 40,
]


# Numbers at their limits, for XML attributes (times, rates, positions, reel numbers).
NUMBERS = [
    "0", "-1", "-0", "NaN", "nan", "inf", "-inf", "1e400", "-1e400", "1e308", "99999999999999999999", "9" * 400,
    "\u00b2", "\u0663", "0.0000001", "1.5", "00:00:00:00", "99:59:59:999", "00:00:00.000", "99:99:99.999",
    "00:00:00:99999", "1e308s", "99999999999h", "0f", "999999999999t", "0.5f", "-5s", "01:02:03:04.5", "0 0",
    "1 0", "0 1", "24 0", "25 1", "30000 1001", "", " ", "1,5", "0x10", "10%", "-10%", "1e400%", "00:00:00:00:00",
]
# Attributes (and elements) whose values are numbers in one of the XML formats.
NUMBER_ATTRIBUTES = [
    b"begin", b"end", b"dur", b"ttp:frameRate", b"ttp:tickRate", b"ttp:frameRateMultiplier", b"ttp:subFrameRate",
    b"TimeIn", b"TimeOut", b"FadeUpTime", b"FadeDownTime", b"VPosition", b"Vposition", b"HPosition", b"Hposition",
    b"Size", b"tts:origin", b"tts:extent", b"tts:fontSize", b"Zposition", b"ttp:cellResolution",
]
NUMBER_ELEMENTS = [b"EditRate", b"ReelNumber", b"StartTime", b"TimeCodeRate", b"DisplayType"]
ENTITY_DECLARATIONS = [
    b'<!DOCTYPE tt [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>',
    b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">',
    b'<!DOCTYPE x [<!ENTITY e "text">]>',
    b"<!DOCTYPE x>",
]
ENTITY_REFERENCES = [b"&a;", b"&d;", b"&e;", b"&#0;", b"&#x110000;", b"&#xD800;", b"&amp;", b"&lt;", b"&unknown;"]


@dataclass
class Finding:
    target: str
    kind: str  # "crash", "slow" or "readback"
    summary: str  # exception type and message, or the time
    data: bytes
    seconds: float
    trace: str = ""


@dataclass
class Stats:
    inputs: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)  # ScreenkitError: the expected answer to bad input
    findings: list[Finding] = field(default_factory=list)
    elapsed: float = 0.0


class ReadBackFailure(Exception):
    """What was written does not read back to the same cues."""


from toolkit.subtitles.readback import read_back_check  # noqa: E402  (the library's own check)


class _Hang(BaseException):
    """Raised by the alarm: not an Exception, so no code under test can swallow it."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Hang()


# ---- targets ---------------------------------------------------------------------------


class Targets:
    """Every target: a function of the input bytes that returns or raises ScreenkitError."""

    def __init__(self, event_dir: Path) -> None:
        from toolkit.languages import parse_language
        from toolkit.qc import load_profile
        from toolkit.subtitles.formats import format_names, get_format

        self.event_dir = event_dir
        self.formats = [get_format(name) for name in format_names()]
        self.profiles = [load_profile("festival", parse_language(tag)) for tag in ("fr", "zh-Hans", "en")]
        # What loads once per process, lazily (jieba's dictionary, about 0.6 s; OpenCC's tables),
        # loads here: otherwise the first Chinese input to need it reads as a slow input.
        from toolkit.chinese import count_script
        from toolkit.chinese.words import boundaries

        boundaries("我们今天晚上去电影院看电影")
        count_script("漢字汉字")

    def subtitles(self, data: bytes, hint: str) -> object:
        from toolkit.subtitles.encoding import decode
        from toolkit.subtitles.io import check_line_lengths

        spec = next((f for f in self.formats if f.name == hint), self.formats[0])
        if spec.read_bytes is not None:
            return spec.read_bytes(data, "fuzz" + spec.extension)
        text = decode(data, path="fuzz" + spec.extension).text
        check_line_lengths(text, spec, "fuzz")
        return spec.read(text, "fuzz" + spec.extension)

    def readback(self, data: bytes, hint: str) -> object:
        """Read, write in one format (chosen by the input), read back: the same cues."""
        from toolkit.subtitles.lossy import adapt

        track = self.subtitles(data, hint)
        spec = self.formats[(len(data) * 7 + sum(data[:64])) % len(self.formats)]
        written = adapt(track, spec)[0]  # type: ignore[arg-type]
        if spec.write_file is not None:
            # DCP: the XML as write_dcp renders it, without the font subset, the XSD check and the
            # Interop image fallback (a CJK subset costs ~0.3 s; images run ffmpeg): the cues are
            # all in the XML.
            from fractions import Fraction

            from toolkit.dcp.deliver import plan_events
            from toolkit.dcp.xml import SMPTE_RATES, DcpHeader, render_interop, render_smpte

            standard = spec.name.split("-")[-1]
            fps = written.frame_rate if written.frame_rate in SMPTE_RATES else Fraction(24)
            header = DcpHeader(standard=standard, title="readback", fps=fps, font_uri="font.ttf")
            events = plan_events([written])
            if not events:
                raise ScreenkitError("no cues to write")
            output = (render_smpte if standard == "smpte" else render_interop)(events, header)
        else:
            output = spec.write(written).encode("utf-8")
        problems = read_back_check(written, output, spec.name)
        if problems:
            raise ReadBackFailure(f"{hint} -> {spec.name}: " + "; ".join(problems[:3]))
        return problems

    def lint(self, data: bytes, hint: str) -> object:
        from toolkit.qc import fix_track, lint_track

        track = self.subtitles(data, hint)
        profile = self.profiles[len(data) % len(self.profiles)]
        fixed = fix_track(track, profile)  # type: ignore[arg-type]
        lint_track(fixed.track, profile)
        return lint_track(track, profile)  # type: ignore[arg-type]

    def manifest(self, data: bytes, hint: str) -> object:
        from toolkit.manifest.loader import parse_manifest

        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScreenkitError("not UTF-8") from None
        return parse_manifest(text, self.event_dir / f"manifest.{hint}")

    def check(self, data: bytes, hint: str) -> object:
        from toolkit.manifest import check_manifest

        manifest = self.manifest(data, hint)
        return check_manifest(manifest, check_media=False)  # type: ignore[arg-type]


# ---- inputs ----------------------------------------------------------------------------


def subtitle_seeds() -> list[tuple[bytes, str]]:
    """Real files (the format by extension, XML by its root), then a small track in every format."""
    from toolkit.subtitles.formats import for_path

    seeds = []
    folders = [SHARED / "corpus", ROOT / "samples"]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            fmt = SUBTITLE_SUFFIXES.get(path.suffix.lower())
            if fmt and path.is_file():
                data = path.read_bytes()
                if path.suffix.lower() == ".xml":
                    try:
                        fmt = for_path(path, None, data[:4096].decode("utf-8", "replace")).name
                    except ScreenkitError:
                        continue
                seeds.append((data[:MAX_SEED_BYTES], fmt))
    return seeds + written_seeds()


def written_seeds() -> list[tuple[bytes, str]]:
    """A small track (italics, a top cue, two lines, Chinese) written in every registered format:
    every reader gets seeds, even of a format the corpus has no file of."""
    from toolkit.languages import parse_language
    from toolkit.subtitles.formats import formats
    from toolkit.subtitles.io import render_track
    from toolkit.subtitles.model import Cue, Track

    seeds = []
    for language, lines in (("fr", ["<i>Bonjour</i> à tous,", "et bienvenue."]), ("zh-Hans", ["你好，", "欢迎。"])):
        track = Track(cues=[Cue(1000, 2500, lines), Cue(3000, 4200, ["En haut"], alignment=8),
                            Cue(4200, 6000, ["<b>Fin</b>"])], language=parse_language(language))
        for spec in formats():
            if spec.write_file is not None:
                folder = Path(tempfile.mkdtemp(prefix="screenkit-seed-"))
                try:
                    path = folder / ("seed" + spec.extension)
                    spec.write_file(track, path)
                    seeds.append((path.read_bytes(), spec.name))
                finally:
                    shutil.rmtree(folder, ignore_errors=True)
            else:
                seeds.append((render_track(track, spec.name).encode("utf-8"), spec.name))
    return seeds


def manifest_seeds() -> list[tuple[bytes, str]]:
    """The samples' manifests, for the loader."""
    seeds = []
    for path in sorted((ROOT / "samples").rglob("manifest.*")):
        seeds.append((path.read_bytes(), "json" if path.suffix == ".json" else "yaml"))
    return seeds


def event_seeds(folder: Path) -> list[tuple[bytes, str]]:
    """The tests' small event (two works, three short tracks) written to FOLDER, as YAML and JSON:
    check_manifest reads every track it names, so a small event keeps the checks fast."""
    sys.path.insert(0, str(ROOT / "tests"))
    from manifest_kit import BASE_YAML, make_event

    from toolkit.manifest import load_manifest

    make_event(folder)
    data = load_manifest(folder / "manifest.yaml").data
    return [(BASE_YAML.encode("utf-8"), "yaml"), (json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8"), "json")]


def mutate_xml(out: bytearray, rng: random.Random) -> None:
    """One edit aimed at XML readers: nesting, entities, a number at its limit."""
    choice = rng.random()
    if choice < 0.3:
        # Nest an element the document uses (span, div, Font, Text ...) deeply, closed or not.
        start = out.find(b"<", rng.randint(0, max(0, len(out) - 1)))
        start = out.find(b"<") if start < 0 else start
        end = out.find(b">", start)
        if start < 0 or end < 0:
            return
        tag = (bytes(out[start + 1 : end]).split() or [b"span"])[0].rstrip(b"/") or b"span"
        if not tag or tag[:1] in (b"?", b"!", b"/"):
            tag = rng.choice([b"span", b"div", b"Font", b"p"])
        depth = rng.choice([50, 199, 200, 201, 1000, 20_000])
        closing = b"</" + tag + b">" if rng.random() < 0.7 else b""
        out[end + 1 : end + 1] = (b"<" + tag + b">") * depth + b"x" + closing * depth
    elif choice < 0.5:
        # An entity declaration after the XML declaration, and a reference in the text.
        declaration = rng.choice(ENTITY_DECLARATIONS)
        after = out.find(b"?>")
        at = after + 2 if after >= 0 else 0
        out[at:at] = declaration
        text = out.find(b">", out.find(b"<", at + len(declaration) + 1))
        if text >= 0:
            out[text + 1 : text + 1] = rng.choice(ENTITY_REFERENCES)
    elif choice < 0.85:
        # A number attribute's value replaced by a number at its limit (or the attribute added).
        name = rng.choice(NUMBER_ATTRIBUTES)
        at = out.find(b" " + name + b'="', rng.randint(0, len(out)))
        at = out.find(b" " + name + b'="') if at < 0 else at
        value = rng.choice(NUMBERS).encode("utf-8")
        if at >= 0:
            start = at + len(name) + 3
            end = out.find(b'"', start)
            if end >= 0:
                out[start:end] = value
        else:
            tag = out.find(b"<", rng.randint(0, len(out)))
            if tag >= 0 and out[tag + 1 : tag + 2] not in (b"?", b"!", b"/"):
                tag_name = bytes(out[tag + 1 : tag + 40]).split(b">")[0].split()  # "<>" or "< ": no name
                space = tag + 1 + len(tag_name[0] if tag_name else b"")
                out[space:space] = b" " + name + b'="' + value + b'"'
    else:
        name = rng.choice(NUMBER_ELEMENTS)
        at = out.find(b"<" + name + b">")
        if at >= 0:
            start = at + len(name) + 2
            end = out.find(b"<", start)
            if end >= 0:
                out[start:end] = rng.choice(NUMBERS).encode("utf-8")


def mutate(data: bytes, rng: random.Random, seeds: list[tuple[bytes, str]]) -> bytes:
    """One to four random edits: bytes flipped, tokens inserted, chunks removed, repeated or spliced;
    for XML, also edits aimed at XML readers (``mutate_xml``)."""
    out = bytearray(data)
    xml = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"
    for _ in range(rng.randint(1, 4)):
        size = len(out)
        position = rng.randint(0, size)
        choice = rng.random()
        if xml and rng.random() < 0.5:
            mutate_xml(out, rng)
        elif choice < 0.15 and size:
            out[min(position, size - 1)] ^= 1 << rng.randint(0, 7)
        elif choice < 0.45:
            out[position:position] = rng.choice(TOKENS).encode("utf-8", "surrogatepass")
        elif choice < 0.60 and size:
            end = min(size, position + rng.randint(1, 64))
            del out[position:end]
        elif choice < 0.70 and size:
            end = min(size, position + rng.randint(1, 256))
            out[position:position] = out[position:end] * rng.randint(2, 50)
        elif choice < 0.80:
            other = rng.choice(seeds)[0]
            start = rng.randint(0, len(other))
            out[position:position] = other[start : start + rng.randint(1, 512)]
        elif choice < 0.90:
            # Replace a value after a key (YAML "key: value", JSON "key": value) with a token.
            colon = out.find(b": ", position)
            if colon >= 0:
                end = out.find(b"\n", colon)
                end = len(out) if end < 0 else end
                out[colon + 2 : end] = rng.choice(TOKENS).encode("utf-8", "surrogatepass")
        else:
            # Nest: open many brackets, sometimes close them.
            depth = rng.choice([10, 199, 201, 1000, 30_000])
            opener = rng.choice([b"[", b"{a: ", b"- "])
            closing = (b"]" if opener == b"[" else b"}") * depth if rng.random() < 0.5 and opener != b"- " else b""
            out[position:position] = opener * depth + closing
    return bytes(out[: 8 * 1024 * 1024])


def hypothesis_inputs(count: int, seed: int) -> Iterator[tuple[str, bytes, str]]:
    """Inputs drawn from hypothesis strategies: JSON-like manifests and subtitle-like text."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=40), st.sampled_from(TOKENS),
    )
    documents = st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)),
        max_leaves=30,
    )
    manifests = st.fixed_dictionaries(
        {"manifest_version": st.just(1), "event": documents, "works": st.lists(documents, max_size=3), "screenings": documents}
    )
    timecodes = st.from_regex(r"-?[0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3}[,.][0-9]{1,4}", fullmatch=True)
    cue = st.tuples(st.integers(-5, 10**6), timecodes, timecodes, st.lists(st.text(max_size=60), max_size=4))
    tracks = st.lists(cue, max_size=8)
    collected: list[tuple[str, bytes, str]] = []

    @settings(max_examples=max(1, count), database=None, deadline=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(manifests, tracks, st.sampled_from(["srt", "vtt", "ass"]), st.booleans())
    def draw(manifest: object, track: list[tuple[int, str, str, list[str]]], fmt: str, as_json: bool) -> None:
        text = json.dumps(manifest, allow_nan=True, ensure_ascii=False)
        collected.append(("manifest", text.encode("utf-8", "surrogatepass"), "json" if as_json else "yaml"))
        if fmt == "srt":
            body = "".join(f"{n}\n{a} --> {b}\n" + "\n".join(lines) + "\n\n" for n, a, b, lines in track)
        elif fmt == "vtt":
            body = "WEBVTT\n\n" + "".join(f"{a} --> {b}\n" + "\n".join(lines) + "\n\n" for _n, a, b, lines in track)
        else:
            newline = "\\N"  # ASS's line break inside an event
            body = "[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Text\n" + "".join(
                f"Dialogue: 0,{a},{b},Default,{newline.join(lines)}\n" for _n, a, b, lines in track
            )
        collected.append(("subtitles", body.encode("utf-8", "surrogatepass"), fmt))

    random.seed(seed)
    draw()
    yield from collected


# ---- running ---------------------------------------------------------------------------


def run_one(function: Callable[[bytes, str], object], data: bytes, hint: str) -> tuple[str | None, str, float]:
    """(None or the failure's summary, its traceback, CPU seconds).

    Time is the process's CPU time, not the wall clock: on a shared machine an input is
    "slow" for what it costs, not for the load around it. The alarm counts CPU time too,
    and repeats each second after the first, in case code under test swallows one.
    """
    signal.setitimer(signal.ITIMER_PROF, HANG_SECONDS, 1.0)
    start = time.process_time()
    try:
        function(data, hint)
    except ScreenkitError:
        return "", "", time.process_time() - start
    except _Hang:
        return f"still running after {HANG_SECONDS} CPU seconds", "", time.process_time() - start
    except RecursionError as error:
        return f"RecursionError: {error}", traceback.format_exc(limit=-8), time.process_time() - start
    except Exception as error:
        summary = f"{type(error).__name__}: {' '.join(str(error).split())[:200]}"
        return summary, traceback.format_exc(limit=-8), time.process_time() - start
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    return None, "", time.process_time() - start


def minimise(function: Callable[[bytes, str], object], data: bytes, hint: str, still_fails: Callable[[str | None, float], bool], budget: float = 20.0) -> bytes:
    """Remove chunks (halves, then smaller) while the failure stays; at most BUDGET seconds."""
    deadline = time.monotonic() + budget
    chunk = max(1, len(data) // 2)
    while chunk >= 1 and time.monotonic() < deadline:
        position, shrunk = 0, False
        while position < len(data) and time.monotonic() < deadline:
            candidate = data[:position] + data[position + chunk :]
            summary, _trace, seconds = run_one(function, candidate, hint)
            if still_fails(summary, seconds):
                data, shrunk = candidate, True
            else:
                position += chunk
        if not shrunk:
            chunk //= 2
    return data


def fuzz(inputs: int | None, seconds: float | None, seed: int, slow: float, targets: list[str], hypothesis_share: float,
         minimise_budget: float, progress: float = 0.0, weights: dict[str, int] | None = None) -> Stats:
    rng = random.Random(seed)
    event_dir = Path(tempfile.mkdtemp(prefix="screenkit-fuzz-"))
    try:
        runner = Targets(event_dir)
        functions = {name: getattr(runner, name) for name in targets}
        events = event_seeds(event_dir)  # its files are where check_manifest's paths lead (media not probed)
        seeds = {"subtitles": subtitle_seeds(), "manifest": manifest_seeds() + events}
        seeds["lint"] = seeds["readback"] = seeds["subtitles"]
        seeds["check"] = events
        for name in targets:  # imports, compiled schema, language model: not in the first input's time
            run_one(functions[name], *seeds[name][0])
        stats = Stats(inputs={name: 0 for name in targets}, refused={name: 0 for name in targets})
        # Targets in turn, each as many times in a round as its weight (default 1).
        schedule = [name for name in targets for _ in range((weights or {}).get(name, 1))]
        generated: list[tuple[str, bytes, str]] = []
        signal.signal(signal.SIGPROF, _alarm)
        started = time.monotonic()
        done = 0
        seen: set[tuple[str, str]] = set()
        next_progress = started + progress if progress else None
        while True:
            if next_progress is not None and time.monotonic() >= next_progress:
                next_progress += progress
                spent = time.monotonic() - started
                print(f"fuzz: {done} inputs in {spent:.0f} s ({done / spent:.0f}/s), {len(stats.findings)} findings",
                      file=sys.stderr, flush=True)
            if inputs is not None and done >= inputs:
                break
            if seconds is not None and time.monotonic() - started >= seconds:
                break
            target = schedule[done % len(schedule)]
            if rng.random() < hypothesis_share:
                if not generated:
                    generated = list(hypothesis_inputs(50, rng.randrange(1 << 30)))
                kind, data, hint = generated.pop()
                target = {"manifest": rng.choice([t for t in targets if t in ("manifest", "check")] or [target]),
                          "subtitles": rng.choice([t for t in targets if t in ("subtitles", "lint", "readback")]
                                                  or [target])}[kind]
            else:
                base, hint = rng.choice(seeds[target])
                data = mutate(base, rng, seeds[target])
            summary, trace, elapsed = run_one(functions[target], data, hint)
            stats.inputs[target] += 1
            done += 1
            if summary == "":
                stats.refused[target] += 1
            failing = summary not in (None, "")
            if failing or elapsed > slow:
                kind_ = ("readback" if failing and summary.startswith("ReadBackFailure")
                         else "crash" if failing and not summary.startswith("still running") else "slow")
                label = summary if failing else f"{elapsed:.2f} s"
                key = (target, (summary or "slow").split(":")[0] + (trace.splitlines()[-2] if trace.count("\n") > 1 else ""))
                if key in seen:
                    continue
                seen.add(key)
                if kind_ in ("crash", "readback"):
                    def same(result: str | None, _seconds: float, expected: str = summary or "") -> bool:
                        return bool(result) and result.split(":")[0] == expected.split(":")[0]
                else:
                    def same(result: str | None, seconds_: float) -> bool:
                        return seconds_ > slow
                small = minimise(functions[target], data, hint, same, minimise_budget)
                stats.findings.append(Finding(target, kind_, label, small, elapsed, trace))
                if progress:
                    print(f"fuzz: input {done}: [{target}] {kind_}: {label} ({elapsed:.2f} s), minimised: {small[:200]!r}",
                          file=sys.stderr, flush=True)
        stats.elapsed = time.monotonic() - started
        return stats
    finally:
        signal.signal(signal.SIGPROF, signal.SIG_DFL)
        shutil.rmtree(event_dir, ignore_errors=True)


def report(stats: Stats, as_json: bool, save: Path | None) -> dict[str, object]:
    elapsed = stats.elapsed or 1e-9
    total = sum(stats.inputs.values())
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        for index, finding in enumerate(stats.findings):
            (save / f"{index:03d}-{finding.target}-{finding.kind}.bin").write_bytes(finding.data)
    document: dict[str, object] = {
        "inputs": total,
        "seconds": round(elapsed, 1),
        "inputs_per_second": round(total / elapsed, 1),
        "per_target": {name: {"inputs": count, "refused": stats.refused[name]} for name, count in stats.inputs.items()},
        "crashes": sum(1 for f in stats.findings if f.kind == "crash"),
        "slow": sum(1 for f in stats.findings if f.kind == "slow"),
        "readback": sum(1 for f in stats.findings if f.kind == "readback"),
        "findings": [
            {"target": f.target, "kind": f.kind, "summary": f.summary, "seconds": round(f.seconds, 3),
             "input": f.data[:400].decode("utf-8", "backslashreplace"), "input_bytes": len(f.data), "trace": f.trace}
            for f in stats.findings
        ],
    }
    if as_json:
        print(json.dumps(document, indent=1, ensure_ascii=False))
    else:
        print(f"{total} inputs in {elapsed:.1f} s: {total / elapsed:.0f} inputs/s")
        for name, count in stats.inputs.items():
            print(f"  {name:10} {count:9} inputs, {stats.refused[name]} refused with a ScreenkitError")
        print(f"crashes (not ScreenkitError): {document['crashes']}; slower than the limit: {document['slow']}; "
              f"read-back failures: {document['readback']}")
        for finding in stats.findings:
            print(f"\n[{finding.target}] {finding.kind}: {finding.summary} ({finding.seconds:.2f} s), "
                  f"minimised to {len(finding.data)} bytes:")
            print("  " + repr(finding.data[:300]))
            if finding.trace:
                print("  " + finding.trace.strip().replace("\n", "\n  "))
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, help="stop after N inputs (over all targets)")
    parser.add_argument("--seconds", type=float, help="stop after T seconds")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--slow", type=float, default=1.0, help="report inputs slower than this (seconds)")
    parser.add_argument("--targets", default="subtitles,readback,lint,manifest,check",
                        help="targets, each with an optional weight: subtitles=8,readback=2")
    parser.add_argument("--hypothesis-share", type=float, default=0.05, help="share of inputs drawn from hypothesis")
    parser.add_argument("--minimise-seconds", type=float, default=20.0)
    parser.add_argument("--save", type=Path, help="write each minimised finding here")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--progress", type=float, default=0.0, metavar="SECONDS",
                        help="print a progress line to stderr every SECONDS (0: never)")
    args = parser.parse_args(argv)
    if args.inputs is None and args.seconds is None:
        args.inputs = 2000
    weights: dict[str, int] = {}
    targets = []
    for item in (part.strip() for part in args.targets.split(",")):
        if item:
            name, _, weight = item.partition("=")
            targets.append(name)
            weights[name] = int(weight or 1)
    stats = fuzz(args.inputs, args.seconds, args.seed, args.slow, targets, args.hypothesis_share, args.minimise_seconds,
                 args.progress, weights)
    document = report(stats, args.json, args.save)
    return 1 if document["crashes"] or document["slow"] or document["readback"] else 0


if __name__ == "__main__":
    sys.exit(main())
