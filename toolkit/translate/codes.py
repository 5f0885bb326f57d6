"""TR0xx: findings of ``screenkit translate`` (and of the package's machine translation)."""

from __future__ import annotations

from toolkit.diagnostics import CodeDoc, Severity

CODES = (
    CodeDoc("TR001", "glossary term missing from the translation", Severity.WARNING, "A glossary term of the source text does not appear, as the glossary says, in the translated cue: names and titles may have been translated freely.", "Edit the cue, or check the glossary entry."),
    CodeDoc("TR002", "styling inside a sentence dropped", Severity.INFO, "Italics or other styling that covered only part of a sentence cannot follow the words through translation; it is kept only when it covers a whole cue's edges.", "Restyle the translated cue by hand if it matters."),
    CodeDoc("TR003", "already in the target language", Severity.INFO, "The input track is already in a target language: it is not translated into itself.", None),
    CodeDoc("TR004", "cues taken from reviewed translations", Severity.INFO, "Cues that a reviewer approved (screenkit review) are kept as approved instead of being translated again by the model.", None),
    CodeDoc("TR005", "converted between Chinese scripts", Severity.INFO, "A zh-Hans track was turned into zh-Hant (or a region: zh-Hant-TW with Taiwan vocabulary, zh-Hant-HK) or back by OpenCC's phrase-level conversion, cue by cue, instead of a model: times, lines, markup and non-Chinese text are unchanged.", "Have a reader of the region check vocabulary (OpenCC knows common regional words, not every house style)."),
)
