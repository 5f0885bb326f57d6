"""Language identification of subtitle text with py3langid (a real identifier, not a heuristic)."""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import ScreenkitError
from toolkit.languages import EN, FR, ZH_HANS, ZH_HANT, Language
from toolkit.qc import text as tx
from toolkit.subtitles.markup import TAG
from toolkit.subtitles.model import Cue, Track

if TYPE_CHECKING:
    import numpy as np


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import LanguageIdentifier

    # The full py3langid set (97 languages): limited to a dozen, Danish read as Dutch and
    # Greek as Latin (issue 10).
    model = _model_arrays()
    return LanguageIdentifier(
        model["ptc"], model["pc"], model["classes"].tolist(), _stdlib_array(model["nextmove"]),
        model["output"].tolist(), norm_probs=True, tk_row=_stdlib_array(model["row"]),
    )


_HAN = re.compile("[\u4e00-\u9fff]")
_KANA_OR_HANGUL = re.compile("[\u3040-\u30ff\uac00-\ud7a3]")
_MODEL_PARTS = ("ptc", "pc", "classes", "nextmove", "row", "output")


def _model_arrays() -> dict[str, np.ndarray]:
    """py3langid's model as arrays. It ships LZMA-compressed (0.6-1.0 s to unpack, most of a
    small command's time: ``validate`` of one manifest): unpacked once into screenkit's cache
    folder as .npy files, memory-mapped from then on. Keyed by py3langid's version and the
    model file's content (so checkouts with the same wheel share one copy); copies unused
    for 30 days are pruned when a new one is made. An unusable cache is rebuilt, or the
    model read as shipped."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    from toolkit.cachekeys import installed_file_digest, mark_used, prune_siblings
    from toolkit.fsutil import SymlinkRefused, atomic_path, cache_dir, check_confined

    source = Path(MODEL_DIR) / MODEL_FILE
    folder = cache_dir() / f"langid-{installed_file_digest(source)}"
    try:
        # A planted link (or FIFO) in the cache is refused, never read through (toolkit.fsutil).
        if all(check_confined(folder / f"{name}.npy", create=False) for name in _MODEL_PARTS):
            arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _MODEL_PARTS}
            mark_used(folder)
            return arrays
    except (OSError, ValueError, EOFError):
        pass  # not there yet, or damaged: unpack the shipped model
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(source)
    model = {
        "ptc": np.asarray(ptc), "pc": np.asarray(pc), "classes": np.array(classes),
        "nextmove": np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
        "row": np.frombuffer(row, dtype=f"u{row.itemsize}"), "output": np.array(output, dtype=np.int64),
    }
    try:
        for name, values in model.items():  # atomic_path makes the folder, following no link
            with atomic_path(folder / f"{name}.npy") as temporary:
                np.save(temporary, values, allow_pickle=False)
        mark_used(folder)
        prune_siblings(folder, "langid-*")
    except SymlinkRefused:
        raise
    except (OSError, ScreenkitError):
        pass  # a read-only home: the next run unpacks again
    return model


def _stdlib_array(values: np.ndarray) -> array:
    """A NumPy unsigned int array as the stdlib array py3langid's tokenizer walks."""
    out = array({1: "B", 2: "H", 4: "I", 8: "Q"}[values.dtype.itemsize])
    out.frombytes(memoryview(values).cast("B"))  # .npy arrays are contiguous
    return out


_CHINESE_VARIETIES = frozenset({"yue", "wuu", "cmn", "gan", "hak", "hsn", "nan", "cdo", "cjy", "lzh", "zh-yue", "zh-min-nan", "zh-classical"})


def identify_language(text: str) -> tuple[Language | None, str, float]:
    """(screenkit language or None, the identifier's code, probability) for subtitle text."""
    clean = TAG.sub(" ", text).strip()
    if not clean:
        return None, "", 0.0
    code, probability = _identifier().classify(clean[:20000])
    if code in _CHINESE_VARIETIES:
        # Written Mandarin is never Cantonese or Wu: screenkit's tracks are zh-Hans or zh-Hant, and
        # an identifier that names a variety for Han text (zh/en/zh/en cues) means Chinese.
        code = "zh"
    # Counted in C (map, findall, search): validate identifies every track of a manifest.
    letters = sum(map(str.isalpha, clean))
    han = len(_HAN.findall(clean)) if not clean.isascii() else 0
    kana_or_hangul = not clean.isascii() and _KANA_OR_HANGUL.search(clean) is not None
    if code == "zh" and letters and not kana_or_hangul:
        # Over all 97 languages a short Chinese line leaves some mass to Japanese; Han text
        # with no kana and no hangul is Chinese as surely as its Han share says.
        probability = max(probability, han / letters)
    if code == "zh":
        # Simplified vs Traditional: characters only one script has, by OpenCC's tables.
        from toolkit.chinese import count_script

        counted = count_script(clean)
        return (ZH_HANT if counted.traditional > counted.simplified else ZH_HANS), code, float(probability)
    return {"en": EN, "fr": FR}.get(code), code, float(probability)


@dataclass(frozen=True)
class TrackLanguages:
    """What a track is written in: one language, or two for a bilingual track (zh-Hans+en)."""

    primary: Language | None
    code: str  # the identifier's code for the primary language
    probability: float
    secondary: Language | None = None
    secondary_code: str = ""
    primary_text: str = ""  # a bilingual track's Chinese lines (what the primary language is of)

    @property
    def tag(self) -> str | None:
        if self.primary is None:
            return None
        if self.secondary_code:
            return f"{self.primary.tag}+{self.secondary.tag if self.secondary else self.secondary_code}"
        return self.primary.tag


# A track is bilingual when this share of its events has a Chinese line and a Latin line, or
# when this share of its events is Chinese and as large a share is in Latin letters (a bilingual
# DCP file: each language's lines are events of their own).
BILINGUAL_SHARE = 0.3


def bilingual_parts(cues: Sequence[Cue], limit: int = 20000) -> tuple[str, str] | None:
    """(the Chinese lines, the Latin lines) of a bilingual track, or None for a one-language one.

    Judged on the first events up to ``limit`` characters, the sample the identifier reads
    anyway (language_sample): a whole film's worth, at a bounded cost.
    """
    from toolkit.qc import text as tx

    size = 0
    for count, cue in enumerate(cues, start=1):
        size += sum(len(line) + 1 for line in cue.lines)
        if size > limit:
            cues = cues[:count]
            break
    whole = "".join(line for cue in cues for line in cue.lines)
    if whole.isascii() or not tx.CJK.search(whole) or not tx.LATIN_LETTER.search(whole):
        return None  # no Chinese line, or no Latin one, anywhere: decided in C, not cue by cue
    parts: dict[str, list[str]] = {"han": [], "latin": []}
    bilingual = 0
    single = {"han": 0, "latin": 0, "": 0}
    for cue in cues:
        groups = tx.bilingual_groups(cue.lines)
        if groups is None:
            text = tx.strip_markup(" ".join(cue.lines))
            script = tx.line_script(text)
            single[script] += 1
            if script:
                parts[script].append(text)
            continue
        bilingual += 1
        for script, rows in groups:
            parts["han" if script == "han" else "latin"].extend(tx.strip_markup(cue.lines[row]) for row in rows)
    least = BILINGUAL_SHARE * len(cues)
    if not cues or (bilingual < least and min(single["han"], single["latin"]) < least):
        return None
    return " ".join(parts["han"]), " ".join(parts["latin"])


def identify_track(cues: Sequence[Cue], sample: str) -> TrackLanguages:
    """The track's language(s): a bilingual track's Chinese and Latin lines are identified apart."""
    parts = bilingual_parts(cues)
    if parts is not None:
        primary, code, probability = identify_language(parts[0][:20000])
        secondary, secondary_code, _ = identify_language(parts[1][:20000])
        if code == "zh" and secondary_code and secondary_code != "zh":
            return TrackLanguages(primary, code, probability, secondary, secondary_code, parts[0])
    primary, code, probability = identify_language(sample)
    return TrackLanguages(primary, code, probability)


# Less text than this (Chinese characters counted three times) is too little to tell.
_MIN_LANGUAGE_LETTERS = 40


def language_sample(track: Track, limit: int = 20000) -> str:
    """The track's text without markup, up to ``limit`` characters, for language identification."""
    parts: list[str] = []
    size = 0
    for cue in track.cues:
        text = tx.strip_markup(" ".join(cue.lines))
        parts.append(text)
        size += len(text) + 1
        if size > limit:
            break
    return " ".join(parts)


def measure_languages(track: Track) -> tuple[TrackLanguages, str, int] | None:
    """The languages the track's text reads as, the sample and its weighted letter count;
    None when there is too little text to tell. Lint and fix decide a track bilingual by
    this one function, so lint after fix agrees with the fix."""
    sample = language_sample(track)
    # A Chinese character carries about as much as a short word: count it three times.
    letters = sum(map(str.isalpha, sample)) + (2 * len(tx.CJK.findall(sample)) if not sample.isascii() else 0)
    if letters < _MIN_LANGUAGE_LETTERS:
        return None
    return identify_track(track.cues, sample), sample, letters


def secondary_language(track: Track) -> Language | None:
    """The second language of a bilingual track: the reader's or the CLI's, else identified."""
    if track.secondary_language is not None:
        return track.secondary_language
    measured = measure_languages(track)
    return measured[0].secondary if measured is not None and measured[0].secondary_code else None
