"""Language identification of subtitle text with py3langid (a real identifier, not a heuristic)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from toolkit.languages import EN, FR, ZH_HANS, ZH_HANT, Language
from toolkit.subtitles.markup import TAG

# Characters that exist in only one of the two Chinese scripts decide between them.
_SIMPLIFIED_ONLY = set("这个们时来说国会对么发后里过还没点开长门问间关头东车见钱实进现电话经义应总样让师学记书写买卖认识离爱语请谈贝")
_TRADITIONAL_ONLY = set("這個們時來說國會對麼發後裡過還沒點開長門問間關頭東車見錢實進現電話經義應總樣讓師學記書寫買賣認識離愛語請談貝")


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
        simplified = sum(ch in _SIMPLIFIED_ONLY for ch in clean)
        traditional = sum(ch in _TRADITIONAL_ONLY for ch in clean)
        return (ZH_HANT if traditional > simplified else ZH_HANS), code, float(probability)
    return {"en": EN, "fr": FR}.get(code), code, float(probability)
