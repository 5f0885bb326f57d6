"""M5xx: languages (M501 required language missing, M502 optional language missing (info),
M503 burned-in language missing)."""

from __future__ import annotations

from toolkit.diagnostics import CodeDoc, Severity
from toolkit.languages import lookup
from toolkit.manifest.checks.context import (
    CheckContext,
    CheckFamily,
    WorkEntry,
    as_dict,
    as_list,
    as_str,
)

# Roles that cover all dialogue (forced does not).
TEXT_ROLES = ("full", "sdh", "bilingual")


def check_work(ctx: CheckContext, work: WorkEntry) -> None:
    audience = as_dict(ctx.event.get("audience_languages"))
    original = lookup(as_str(work.data.get("original_language")) or "")
    covering = {track.language for track in work.tracks if track.language and track.role in TEXT_ROLES}
    have = ", ".join(sorted(language.tag for language in covering)) or "none"
    pointer = f"{work.pointer}.subtitles" if "subtitles" in work.data else work.pointer
    for severity, key, code in ((Severity.ERROR, "required", "M501"), (Severity.INFO, "optional", "M502")):
        for tag in as_list(audience.get(key)):
            language = lookup(tag) if isinstance(tag, str) else None
            if language is None or language == original or language in covering:
                continue
            hint = "" if severity is Severity.ERROR else "; screenkit translate can fill it"
            ctx.report(
                code,
                pointer,
                f"no {language.tag} subtitles for {work.data.get('id')!r}, which the audience {'needs' if key == 'required' else 'may want'} (tracks: {have}){hint}",
                severity,
            )
    required = {language.tag for t in as_list(audience.get("required")) if isinstance(t, str) and (language := lookup(t))}
    for tag in as_list(as_dict(ctx.event.get("screening_copy")).get("burned_languages")):
        language = lookup(tag) if isinstance(tag, str) else None
        if language is None or language == original or language in covering:
            continue
        if language.tag in required:
            continue  # already reported as M501
        ctx.report(
            "M503",
            pointer,
            f"the screening copy burns in {language.tag} but {work.data.get('id')!r} has no {language.tag} track",
        )


CODES = (
    CodeDoc(
        'M501',
        'required language missing',
        Severity.ERROR,
        'The audience needs a language (event.audience_languages.required) that a work neither is spoken in nor has a subtitle track for.',
        'Add the track, or build with screenkit package --translate-missing.',
    ),
    CodeDoc(
        'M502',
        'optional language missing',
        Severity.INFO,
        'An optional audience language has no track for a work; the package leaves it out.',
        'screenkit translate (or package --translate-missing) can make one.',
    ),
    CodeDoc(
        'M503',
        'burned-in language missing',
        Severity.ERROR,
        'The screening copy burns in a language that a work has no track in.',
        'Add the track or change screening_copy.burned_languages.',
    ),
)

FAMILY = CheckFamily("M5", "languages", order=50, work=check_work, codes=CODES)
