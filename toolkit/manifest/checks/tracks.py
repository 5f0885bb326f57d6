"""M4xx: subtitle tracks (M401 does not parse, M402 text not in the tagged language,
M403 last cue ends after the video, M404 QC profile cannot be loaded).

QC findings of a track keep the QC rule's own code (SKxxx), located in the
subtitle file.
"""

from __future__ import annotations

from dataclasses import replace

from toolkit.diagnostics import CodeDoc, Severity
from toolkit.errors import ScreenkitError
from toolkit.manifest.checks.context import CheckContext, CheckFamily, TrackEntry, WorkEntry, as_str
from toolkit.subtitles.model import Track

# Below this many letters language identification guesses; a forced track can be that short.
MIN_LETTERS_FOR_LANGID = 40
MIN_LANGID_PROBABILITY = 0.9
# Past the video's end is M403 here, reported at the manifest's pointer.
QC_CODES_COVERED = frozenset({"SK107"})
QC_LANGUAGE_MISMATCH = "SK502"


def check_work(ctx: CheckContext, work: WorkEntry) -> None:
    from toolkit.subtitles import read_track

    duration_ms = ctx.video_duration_ms(work)
    for track in work.tracks:
        if track.path is None:
            continue
        raw = track.data
        try:
            parsed = read_track(track.path, fmt=as_str(raw.get("format")), language=track.language)
        except ScreenkitError as error:
            where = ctx.display(as_str(raw.get("path")) or "")
            if error.line is not None:
                where += f":{error.line}" + (f":{error.column}" if error.column is not None else "")
            ctx.report("M401", f"{track.pointer}.path", f"does not parse: {where}: {error.message}")
            continue
        track.parsed = parsed
        if not qc_checks_language(ctx, track):
            check_track_language(ctx, track, parsed)
        if duration_ms is not None and parsed.cues:
            last = max(cue.end for cue in parsed.cues)
            if last > duration_ms:
                from toolkit.subtitles.timecode import format_srt

                ctx.report(
                    "M403",
                    f"{track.pointer}.path",
                    f"the last cue ends at {format_srt(last)}, after the video ends ({format_srt(duration_ms)})",
                )
        check_track_qc(ctx, track, parsed, duration_ms, as_str(raw.get("path")) or "")


def check_track_language(ctx: CheckContext, track: TrackEntry, parsed: Track) -> None:
    # A bilingual track holds two languages on purpose; identification would call it either.
    if track.language is None or track.role == "bilingual":
        return
    from toolkit.qc.langid import identify_language

    text = "\n".join(cue.plain_text for cue in parsed.cues)
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS_FOR_LANGID:
        return
    language, code, probability = identify_language(text)
    if probability < MIN_LANGID_PROBABILITY:
        return
    if language is None or language != track.language:
        seen = language.tag if language is not None else code
        ctx.report(
            "M402",
            f"{track.pointer}.language",
            f"tagged {track.language.tag} but the text looks like {seen} (p={probability:.2f})",
        )


def qc_checks_language(ctx: CheckContext, track: TrackEntry) -> bool:
    """Whether the QC pass identifies this track's language (SK502 on): then it is not done twice."""
    if track.language is None:
        return False
    profile = ctx.qc_profile(track.language)
    return profile is not None and profile.rule_severity(QC_LANGUAGE_MISMATCH, Severity.ERROR) is not None


def check_track_qc(ctx: CheckContext, track: TrackEntry, parsed: Track, duration_ms: int | None, relative: str) -> None:
    if track.language is None:
        return
    profile = ctx.qc_profile(track.language)
    if profile is None:
        return
    from toolkit.qc import lint_track

    for finding in lint_track(parsed, profile, video_duration_ms=duration_ms):
        if finding.code == QC_LANGUAGE_MISMATCH:
            # QC identified the language already (see qc_checks_language): report it
            # as the manifest's M402, at the track's language tag.
            if track.role != "bilingual":
                ctx.report("M402", f"{track.pointer}.language", f"tagged {track.language.tag}, but the {finding.message}")
            continue
        if finding.severity is Severity.ERROR and finding.code not in QC_CODES_COVERED:
            location = replace(finding.location, pointer=f"{track.pointer}.path", path=ctx.display(relative))
            ctx.diagnostics.append(replace(finding, location=location))


CODES = (
    CodeDoc(
        'M401',
        'subtitle file does not parse',
        Severity.ERROR,
        'A subtitle track named in the manifest cannot be read as its format; the message gives the file, line and reason.',
        'Fix the subtitle file at the line named (screenkit lint FILE shows the same error).',
    ),
    CodeDoc(
        'M402',
        'text not in the tagged language',
        Severity.ERROR,
        "Language identification reads the track's text as another language than the one the manifest tags it with: a wrong file or a wrong tag would put the wrong subtitles on screen.",
        'Correct the language tag or the file.',
    ),
    CodeDoc(
        'M403',
        'last cue ends after the video',
        Severity.ERROR,
        "The track's last subtitle ends after the video (probed, or the declared duration/runtime): the track is for another cut or frame rate.",
        'Retime the track (screenkit retime --fps or --shift) or use the track of this cut.',
    ),
    CodeDoc(
        'M404',
        'QC profile cannot be loaded',
        Severity.ERROR,
        'event.qc_profile names neither a built-in profile nor a readable profile file (relative to the manifest), so the tracks cannot be checked.',
        'Use a built-in profile name (festival, netflix, bbc, cinema, ...) or fix the profile file.',
    ),
)

FAMILY = CheckFamily("M4", "subtitle tracks", order=70, work=check_work, codes=CODES)
