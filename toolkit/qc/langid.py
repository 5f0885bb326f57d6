"""Language identification of subtitle text with py3langid (a real identifier, not a heuristic)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from toolkit.languages import EN, FR, ZH_HANS, ZH_HANT, Language
from toolkit.subtitles.markup import TAG


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # The languages screenkit works in, plus those most often confused with them,
    # so that a short French sample is not called Catalan.
    identifier.set_languages(["zh", "en", "fr", "es", "it", "de", "pt", "ca", "ja", "ko", "nl", "la"])
    return identifier


def identify_language(text: str) -> tuple[Language | None, str, float]:
    """(screenkit language or None, the identifier's code, probability) for subtitle text."""
    clean = TAG.sub(" ", text).strip()
    if not clean:
        return None, "", 0.0
    code, probability = _identifier().classify(clean[:20000])
    if code == "zh":
        # Simplified vs Traditional: characters only one script has, by OpenCC's tables.
        from toolkit.chinese import count_script

        counted = count_script(clean)
        return (ZH_HANT if counted.traditional > counted.simplified else ZH_HANS), code, float(probability)
    return {"en": EN, "fr": FR}.get(code), code, float(probability)
