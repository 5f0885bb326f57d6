"""MP4 soft subtitles as players read them: forced flag, titles, track header size, positions.

Read back three ways: the bundled ffmpeg (9.0.2), PyAV, and, when the machine
has one, Debian's ffprobe (libavformat 5.1, what mpv and VLC use there), which
files each track's '©nam' under the file's title, the last one read winning.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli
from media_support import FACTORY, ffmpeg_exe

from toolkit.media.tx3g import ALL_SAMPLES_FORCED, file_title_after_tracks, read_text_track_headers

pytestmark = pytest.mark.slow

TOP = "1\n00:00:00,200 --> 00:00:01,000\n{\\an8}Panneau\n\n2\n00:00:01,200 --> 00:00:02,000\nEn bas\n\n" \
      "3\n00:00:02,100 --> 00:00:02,800\n{\\an8}Encore en haut\n"


@pytest.fixture(scope="module")
def muxed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("mp4")
    french = folder / "film.fr.srt"
    french.write_text(TOP, encoding="utf-8")
    output = folder / "film.mp4"
    result = run_cli("mux", str(FACTORY.clip), "--subs", f"fr={french}", "--subs", f"en={FACTORY.en}",
                     "--forced", "fr", "-o", str(output))
    assert result.code == 0, result.stderr
    return output, result.stderr


def test_the_forced_flag_is_in_the_tx3g_display_flags(muxed: tuple[Path, str]) -> None:
    output, _ = muxed
    (_, french_flags), (_, english_flags) = read_text_track_headers(output)
    assert french_flags & ALL_SAMPLES_FORCED and not english_flags & ALL_SAMPLES_FORCED
    import av

    with av.open(str(output)) as container:
        forced = [bool(stream.disposition & av.stream.Disposition.forced) for stream in container.streams.subtitles]
    assert forced == [True, False]


def test_text_tracks_have_the_video_size_in_their_header(muxed: tuple[Path, str]) -> None:
    output, _ = muxed
    assert [size for size, _ in read_text_track_headers(output)] == [(320, 180), (320, 180)]
    listing = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(output)], capture_output=True, text=True).stderr
    subtitle_lines = [line for line in listing.splitlines() if "Subtitle: mov_text" in line]
    assert len(subtitle_lines) == 2 and all(re.search(r"\b320x180\b", line) for line in subtitle_lines), listing


def test_no_track_title_is_taken_for_the_file_title(muxed: tuple[Path, str]) -> None:
    output, _ = muxed
    import av

    with av.open(str(output)) as container:
        titles = [stream.metadata.get("title") for stream in container.streams.subtitles]
        file_title = container.metadata.get("title")
    assert titles == ["Français", "English"]
    assert file_title == "clip" and file_title not in titles
    # After every track: a reader that files track titles under the file's still ends on this one.
    assert file_title_after_tracks(output) == "clip"


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="no system ffprobe on this machine")
def test_the_system_ffprobe_reads_the_same(muxed: tuple[Path, str]) -> None:
    output, _ = muxed
    probed = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format_tags:stream=codec_type,width,height:stream_disposition=forced",
         "-of", "json", str(output)], capture_output=True, text=True, check=True).stdout)
    assert probed["format"]["tags"]["title"] == "clip"  # the video's name: no title was given
    texts = [stream for stream in probed["streams"] if stream["codec_type"] == "subtitle"]
    assert [(s.get("width"), s.get("height"), s["disposition"]["forced"]) for s in texts] == [
        (320, 180, 1), (320, 180, 0)]


def test_top_cues_are_counted_with_the_remedy(muxed: tuple[Path, str]) -> None:
    _, stderr = muxed
    warning = next(line for line in stderr.splitlines() if "film.fr.srt" in line)
    assert "2 cue(s) placed off the bottom (2 at the top)" in warning
    assert "MKV copy or a burned one" in warning
