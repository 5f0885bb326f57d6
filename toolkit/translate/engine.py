"""The translation engine: one CTranslate2 translator per language pair, batched calls.

argostranslate's ``translate()`` makes one ``translate_batch`` call per line
of text, 1-3 sentences each (argos-notes.md), and nothing is batched across
calls. Here every segment of every file of a job goes through a few large
``translate_batch`` calls on one ``ctranslate2.Translator`` loaded once per
pair: inputs sorted by length, ``max_batch_size`` examples per batch, and
``max_decoding_length`` bounded relative to the longest input of the call.
Pairs without a direct package (zh↔fr, zt↔fr) go through English as two
batched passes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from toolkit.errors import ScreenkitError, ToolMissingError
from toolkit.languages import EN, Language
from toolkit.translate.models import (
    InstalledModel,
    argos_package_for,
    find_installed,
    model_fingerprint,
)

# CTranslate2 sorts by length and cuts batches of this many examples; 32 is
# argos's own ARGOS_BATCH_SIZE (argos-notes.md) and fills 2-16 cores well.
DEFAULT_MAX_BATCH_SIZE = 32
# A translation is rarely more than twice as long (in tokens) as its source.
DECODING_RATIO = 2.0
DECODING_MARGIN = 10
DECODING_CEILING = 256  # CTranslate2's own default (argos-notes.md)
DEVICES = ("auto", "cpu", "cuda")
COMPUTE_TYPES = ("default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16", "float32")

Progress = Callable[[int], None]


@dataclass(frozen=True)
class EngineOptions:
    beam_size: int = 4  # argos's default (argos-notes.md), so results match argos's
    device: str = "auto"
    compute_type: str | None = None  # None: int8 on CPU, int8_float16 on CUDA
    threads: int = 0  # 0: CTranslate2 decides (all cores)
    max_batch_size: int = DEFAULT_MAX_BATCH_SIZE
    max_decoding_length: int | None = None  # None: relative to the input (see decoding_bound)
    length_penalty: float = 0.2  # argos's value

    def validate(self) -> None:
        if self.beam_size < 1 or self.beam_size > 16:
            raise ScreenkitError(f"beam size must be 1-16, got {self.beam_size}")
        if self.device not in DEVICES:
            raise ScreenkitError(f"device must be one of {', '.join(DEVICES)}, got {self.device!r}")
        if self.compute_type is not None and self.compute_type not in COMPUTE_TYPES:
            raise ScreenkitError(f"unknown compute type {self.compute_type!r} (use {', '.join(COMPUTE_TYPES)})")
        if self.threads < 0:
            raise ScreenkitError("threads must be 0 (automatic) or more")

    def cache_key(self) -> str:
        """The options that change the output (threads and device do not, compute type does)."""
        bound = self.max_decoding_length if self.max_decoding_length else f"x{DECODING_RATIO}+{DECODING_MARGIN}"
        return f"beam={self.beam_size};compute={self.compute_type or 'auto'};len={bound};lp={self.length_penalty}"


class SegmentTranslator(Protocol):
    """What the job needs of a translator: a key for the cache, and texts in → texts out."""

    key: str

    def translate(self, texts: Sequence[str]) -> list[str]: ...


def decoding_bound(longest_input_tokens: int, fixed: int | None = None) -> int:
    if fixed:
        return fixed
    return min(DECODING_CEILING, math.ceil(longest_input_tokens * DECODING_RATIO) + DECODING_MARGIN)


def resolve_device(device: str) -> str:
    import ctranslate2

    if device == "auto":
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
        raise ToolMissingError("--device cuda: no CUDA device is visible to CTranslate2")
    return device


class ArgosPairTranslator:
    """One installed argos package: its tokenizer and one ``ctranslate2.Translator``."""

    def __init__(self, model: InstalledModel, options: EngineOptions) -> None:
        options.validate()
        self.model = model
        self.options = options
        self.key = f"{model_fingerprint(model)}|{options.cache_key()}"
        self._package: Any = None
        self._translator: Any = None
        self.calls = 0  # translate_batch calls made, for reports and tests

    def _load(self) -> None:
        if self._translator is not None:
            return
        import ctranslate2

        self._package = argos_package_for(self.model)
        if getattr(self._package, "tokenizer", None) is None:
            raise ScreenkitError("the package has no sentencepiece.model or bpe.model", path=self.model.path)
        device = resolve_device(self.options.device)
        compute_type = self.options.compute_type or ("int8" if device == "cpu" else "int8_float16")
        supported = ctranslate2.get_supported_compute_types(device)
        if compute_type not in supported and compute_type not in ("default", "auto"):
            raise ScreenkitError(f"compute type {compute_type} is not supported on {device} (supported: {', '.join(sorted(supported))})")
        try:
            self._translator = ctranslate2.Translator(
                str(self.model.path / "model"),
                device=device,
                compute_type=compute_type,
                inter_threads=1,
                intra_threads=self.options.threads,
            )
        except (RuntimeError, ValueError) as error:
            raise ScreenkitError(f"cannot load the model ({error})", path=self.model.path) from None

    def tokenize(self, texts: Sequence[str]) -> list[list[str]]:
        self._load()
        return [self._package.tokenizer.encode(text) for text in texts]

    def translate_tokens(self, tokens: list[list[str]]) -> list[list[str]]:
        """Pre-tokenised inputs → output tokens, through length-sorted batched calls."""
        self._load()
        if not tokens:
            return []
        prefix = self.model.target_prefix
        target_prefix = [[prefix]] * len(tokens) if prefix else None
        longest = max(len(t) for t in tokens)
        self.calls += 1
        results = self._translator.translate_batch(
            tokens,
            target_prefix=target_prefix,
            max_batch_size=self.options.max_batch_size,
            batch_type="examples",
            beam_size=self.options.beam_size,
            length_penalty=self.options.length_penalty,
            max_decoding_length=decoding_bound(longest, self.options.max_decoding_length),
            replace_unknowns=True,
        )
        outputs = []
        for result in results:
            hypothesis = list(result.hypotheses[0])
            if prefix and hypothesis and hypothesis[0] == prefix:
                hypothesis = hypothesis[1:]
            outputs.append(hypothesis)
        return outputs

    def detokenize(self, tokens: list[list[str]]) -> list[str]:
        texts = []
        for hypothesis in tokens:
            value = self._package.tokenizer.decode(hypothesis)
            texts.append(value[1:] if value.startswith(" ") else value)
        return texts

    def translate(self, texts: Sequence[str]) -> list[str]:
        return self.detokenize(self.translate_tokens(self.tokenize(texts)))


class PivotTranslator:
    """zh→fr as zh→en then en→fr: two batched passes over all the segments."""

    def __init__(self, first: SegmentTranslator, second: SegmentTranslator) -> None:
        self.first = first
        self.second = second
        self.key = f"pivot({first.key}>{second.key})"

    def translate(self, texts: Sequence[str]) -> list[str]:
        return self.second.translate(self.first.translate(texts))


class ConvertingTranslator:
    """OpenCC script conversion as a translator: zh-Hans → zh-Hant-TW as s2twp, and the second
    leg of en → zh-Hant (en → zh-Hans, then s2t). Placeholders (``[T0]``) and Latin text pass
    through untouched (toolkit/chinese/convert.py); an executor runs it where it is (no model)."""

    def __init__(self, config: str) -> None:
        self.config = config
        self.key = f"opencc({config})"

    def translate(self, texts: Sequence[str]) -> list[str]:
        from toolkit.chinese import convert_text

        return [convert_text(text, self.config) for text in texts]


def model_legs(translator: SegmentTranslator) -> int:
    """How many model passes a translator makes (a conversion makes none)."""
    if isinstance(translator, PivotTranslator):
        return model_legs(translator.first) + model_legs(translator.second)
    return 0 if isinstance(translator, ConvertingTranslator) else 1


def conversion_of(translator: SegmentTranslator) -> str | None:
    """The OpenCC configuration a translator ends with (models, then conversion), if any."""
    if isinstance(translator, PivotTranslator):
        return conversion_of(translator.second)
    return translator.config if isinstance(translator, ConvertingTranslator) else None


@dataclass(frozen=True)
class Route:
    """How source text becomes target text: argos model legs, then an OpenCC conversion."""

    pairs: tuple[tuple[str, str], ...]
    convert: str | None = None
    via: Language | None = None  # the language the models translate into, before conversion

    @property
    def conversion_only(self) -> bool:
        return not self.pairs and self.convert is not None


def plan_route(source: Language, target: Language) -> Route:
    """The best way from ``source`` to ``target``.

    Between Chinese scripts: conversion, never a model (chinese-notes.md: conversion is
    what every Chinese subtitle house does). Into Traditional from another language:
    through zh-Hans and conversion when those models are installed (zh models are the
    common ones), else the ``zt`` models (then folded into the region's forms).
    """
    from toolkit.chinese import config_for
    from toolkit.languages import ZH_HANS, ZH_HANT

    if source == target:
        return Route(())
    config = config_for(source, target)
    if source.script is not None and target.script is not None:
        return Route((), config)
    if target.script == "Hant":
        through = route(source, ZH_HANS)
        if through and not missing_models(through):
            return Route(tuple(through), config_for(ZH_HANS, target), ZH_HANS)
        return Route(tuple(route(source, ZH_HANT)), config_for(ZH_HANT, target), ZH_HANT)
    return Route(tuple(route(source, target)))


def route(source: Language, target: Language) -> list[tuple[str, str]]:
    """The argos pairs that translate source → target: direct, or through English."""
    if source == target:
        return []
    if find_installed(source.argos, target.argos) is not None:
        return [(source.argos, target.argos)]
    if EN not in (source, target):
        return [(source.argos, EN.argos), (EN.argos, target.argos)]
    return [(source.argos, target.argos)]


def missing_models(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    return [pair for pair in pairs if find_installed(*pair) is None]


def install_hint(pairs: Sequence[tuple[str, str]]) -> str:
    from toolkit.translate.models import language_name

    spelled = " ".join(f"{language_name(a)}:{language_name(b)}" for a, b in pairs)
    return f"install with 'screenkit models install {spelled}' (or 'screenkit models install FILE.argosmodel' offline)"
