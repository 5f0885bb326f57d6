"""``screenkit translate``: subtitle files into other languages, offline, in one batched job."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.options import executor_options, executor_spec, format_option, input_format_option
from toolkit.cli.output import emit_json, note, progress_bar
from toolkit.errors import EXIT_FINDINGS, ScreenkitError


@click.command()
@click.argument("inputs", metavar="FILE|DIR...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to_languages", required=True, metavar="LANG[,LANG]", help="Target languages: zh-Hans, zh-Hant, zh-Hant-TW, zh-Hant-HK, en, fr (between Chinese scripts: OpenCC conversion, no model).")
@click.option("--from", "from_language", metavar="LANG", help="Source language (default: from the file name, else detected).")
@click.option("--out-dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the translated files ({stem}.{lang}.{ext}).")
@click.option("--glossary", type=click.Path(dir_okay=False, path_type=Path), help="Glossary of terms and names (JSON or YAML, see 'screenkit schema glossary').")
@click.option("--beam-size", default=4, show_default=True, type=click.IntRange(1, 16), help="Beam search width (1 = greedy, fastest).")
@click.option("--device", default="auto", show_default=True, type=click.Choice(["auto", "cpu", "cuda"]))
@click.option("--compute-type", default=None, metavar="TYPE", help="CTranslate2 compute type (default: int8 on CPU, int8_float16 on CUDA).")
@click.option("--threads", default=0, show_default=True, type=click.IntRange(0, 256), help="CPU threads (0 = all cores).")
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False, path_type=Path), help="Translation cache (SQLite; default under XDG_CACHE_HOME/screenkit).")
@input_format_option
@executor_options
@format_option
def translate(
    inputs: tuple[Path, ...],
    to_languages: str,
    from_language: str | None,
    out_dir: Path,
    glossary: Path | None,
    beam_size: int,
    device: str,
    compute_type: str | None,
    threads: int,
    executor_name: str,
    actors: int | None,
    cpus_per_actor: float | None,
    gpus_per_actor: float,
    cache_path: Path | None,
    input_format: str | None,
    output_format: str,
) -> None:
    """Translate subtitle files offline with installed argos models.

    \b
    Example:
      screenkit translate film.zh.srt --to en,fr --out-dir out/
    writes out/film.en.srt and out/film.fr.srt. Sentences that run over
    several cues are translated once and split back over the same cues;
    times and cue count never change. An interrupted job resumes from the
    cache. Failing files are reported and the others are still done (exit 1).
    With --executor ray the segments missing from the cache are translated
    by an actor pool on a Ray cluster; the files are the same.
    """
    from toolkit.languages import parse_language, parse_language_list
    from toolkit.translate.cache import TranslationCache, default_cache_path
    from toolkit.translate.engine import EngineOptions
    from toolkit.translate.executor import make_executor
    from toolkit.translate.glossary import load_glossary
    from toolkit.translate.job import ArgosTranslators, collect_inputs, run_job

    targets = parse_language_list(to_languages)
    source = parse_language(from_language) if from_language else None
    options = EngineOptions(beam_size=beam_size, device=device, compute_type=compute_type, threads=threads)
    options.validate()
    executor = make_executor(executor_spec(executor_name, actors, cpus_per_actor, gpus_per_actor))
    loaded_glossary = load_glossary(glossary) if glossary else None
    files = collect_inputs(inputs)
    if not files:
        raise ScreenkitError("no subtitle files found in the inputs given")
    cache = TranslationCache(cache_path or default_cache_path())
    try:
        with progress_bar("Translating segments", None) as bar:
            translators = ArgosTranslators(options, cache, progress=bar.advance)
            report = run_job(
                files,
                targets,
                out_dir,
                source=source,
                factory=translators,
                glossary=loaded_glossary,
                input_format=input_format,
                on_file=lambda result: bar.update(description=f"Translated {result.input.name}"),
                on_total=lambda total: bar.update(total=total),
                executor=executor,
                reviewed=cache,
            )
    finally:
        executor.close()
        cache.close()
    report.cache_hits = translators.hits
    report.translated = translators.translated
    if output_format == "json":
        emit_json(report.to_dict())
    else:
        for result in report.files:
            for diagnostic in result.diagnostics:
                note(diagnostic.format_text())
            if result.error:
                click.echo(result.error, err=True)
            else:
                for path in result.outputs.values():
                    note(f"{result.input} -> {path}")
        note(
            f"{len(report.files)} files ({len(report.failed)} failed), {report.cues} cues, "
            f"{report.segments} segments, {report.translated} translated, "
            f"{report.cache_hits} cache hits, {report.seconds:.1f} s"
        )
    if report.failed:
        raise SystemExit(EXIT_FINDINGS)
