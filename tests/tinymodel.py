"""Build a real argos package, offline: a CTranslate2 Transformer with seeded random weights
and a sentencepiece model trained on sample subtitle text (argos-notes.md, last section).

Importable by any test (``from tinymodel import build_argos_package``: pytest puts tests/ on the path) and by the
benchmark, which builds the same thing at a realistic size (6+6 layers, d=512).
Random weights give random text: callers bound ``max_decoding_length``.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

# Sample subtitle lines in the three languages of the project, to train the
# tokenizer on (it is shared by both sides, like argos's own packages).
SAMPLE_LINES: tuple[str, ...] = (
    "我们明天早上去秦岭。",
    "你在这里等我，好吗？",
    "这座山比我想象的还要高。",
    "他说他不会再回来了。",
    "别担心，一切都会好起来的。",
    "外面下雨了，我们进去吧。",
    "我不知道该怎么办。",
    "你还记得那个夏天吗？",
    "老师今天没有来上课。",
    "我们一起吃晚饭吧。",
    "他們明天要去台北。",
    "這部電影真的很感人。",
    "We are leaving for the mountains tomorrow morning.",
    "Wait for me here, all right?",
    "This mountain is higher than I imagined.",
    "He said he would never come back.",
    "Don't worry, everything will be fine.",
    "It's raining outside, let's go in.",
    "I don't know what to do.",
    "Do you remember that summer?",
    "The teacher didn't come to class today.",
    "Let's have dinner together.",
    "Nous partons pour les montagnes demain matin.",
    "Attends-moi ici, d'accord ?",
    "Cette montagne est plus haute que je ne l'imaginais.",
    "Il a dit qu'il ne reviendrait jamais.",
    "Ne t'inquiète pas, tout ira bien.",
    "Il pleut dehors, rentrons.",
    "Je ne sais pas quoi faire.",
    "Tu te souviens de cet été-là ?",
    "Le professeur n'est pas venu en cours aujourd'hui.",
    "Dînons ensemble.",
)


def sample_corpus(lines: int = 600, seed: int = 7) -> list[str]:
    """Sample lines plus seeded recombinations, enough for a few hundred pieces."""
    rng = random.Random(seed)
    corpus = list(SAMPLE_LINES)
    words = " ".join(SAMPLE_LINES).split()
    chinese = "".join(line for line in SAMPLE_LINES if not line.isascii())
    while len(corpus) < lines:
        if rng.random() < 0.5:
            corpus.append(" ".join(rng.choice(words) for _ in range(rng.randint(3, 9))))
        else:
            start = rng.randrange(len(chinese) - 12)
            corpus.append(chinese[start : start + rng.randint(4, 12)])
    return corpus


def train_sentencepiece(vocab_size: int = 400, seed: int = 7) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sample_corpus(seed=seed)),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # the corpus is small: take what it gives
        character_coverage=1.0,
        model_type="unigram",
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    return model.getvalue()


def _fill(spec: Any, vocab: int, d_model: int, ffn: int, rng: np.random.Generator) -> None:
    """Give every unset weight of a TransformerSpec a seeded random (or unit) value."""

    def normal(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) / np.sqrt(shape[-1])).astype(np.float32)

    def visit(node: Any, path: str) -> None:
        for name, value in list(vars(node).items()):
            if name.startswith("_"):
                continue  # config and bookkeeping, not weights
            here = f"{path}/{name}"
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if hasattr(item, "__dict__"):
                        visit(item, f"{here}_{index}")
                continue
            if hasattr(value, "__dict__") and not isinstance(value, (np.ndarray, str)):
                visit(value, here)
                continue
            if value is not None:
                continue
            setattr(node, name, _shape_for(here, vocab, d_model, ffn, normal))

    visit(spec, "")


def _shape_for(path: str, vocab: int, d: int, ffn: int, normal: Any) -> np.ndarray:
    if path.endswith("/gamma"):
        return np.ones(d, dtype=np.float32)
    if path.endswith("/beta"):
        return np.zeros(d, dtype=np.float32)
    if "embeddings" in path or "projection" in path:
        return normal(vocab, d)
    if "self_attention/linear_0" in path:
        return normal(3 * d, d)  # fused Q, K, V
    if "attention/linear_1" in path and "self_attention" not in path:
        return normal(2 * d, d)  # fused cross-attention K, V
    if "ffn/linear_0" in path:
        return normal(ffn, d)
    if "ffn/linear_1" in path:
        return normal(d, ffn)
    if "linear" in path:
        return normal(d, d)
    raise ValueError(f"no shape known for {path}")


def build_ctranslate2_model(
    out_dir: Path,
    sentencepiece_model: bytes,
    *,
    layers: tuple[int, int] = (1, 1),
    d_model: int = 32,
    heads: int = 2,
    ffn: int = 64,
    pad_vocab_to: int = 0,
    quantization: str | None = None,
    eos_bias: float = 0.0,
    target_script: str | None = None,
    script_bias: float = 0.0,
    seed: int = 7,
) -> list[str]:
    """Save a CTranslate2 model in ``out_dir``; returns its vocabulary."""
    import sentencepiece as spm
    from ctranslate2.specs import TransformerSpec

    processor = spm.SentencePieceProcessor(model_proto=sentencepiece_model)
    vocab = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    # A realistic output layer: argos vocabularies have tens of thousands of entries.
    vocab += [f"<extra_{i}>" for i in range(max(0, pad_vocab_to - len(vocab)))]
    spec = TransformerSpec.from_config(layers, heads)
    _fill(spec, len(vocab), d_model, ffn, np.random.default_rng(seed))
    if eos_bias or script_bias:
        bias = np.zeros(len(vocab), dtype=np.float32)
        # Random weights never end a sentence: favour </s> so outputs have varied, short lengths.
        bias[vocab.index("</s>")] = eos_bias
        if target_script and script_bias:
            # Random text in the target's script, so that a language check of the output
            # (the manifest's, the linter's) sees Latin text for en/fr and hanzi for zh.
            for index, piece in enumerate(vocab):
                cjk = any("\u3400" <= ch <= "\u9fff" for ch in piece)
                latin = any(ch.isascii() and ch.isalpha() for ch in piece)
                if (target_script == "cjk" and cjk) or (target_script == "latin" and latin and not cjk):
                    bias[index] += script_bias
                elif cjk or latin:
                    bias[index] -= script_bias
        spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=quantization)
    spec.save(str(out_dir))
    return vocab


def build_argos_package(
    target: Path,
    *,
    from_code: str = "zh",
    to_code: str = "en",
    version: str = "1.0",
    target_prefix: str = "",
    seed: int = 7,
    **model_options: Any,
) -> Path:
    """A real ``.argosmodel`` (zip of one folder: metadata.json, model/, sentencepiece.model)."""
    import tempfile

    folder_name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    if model_options.get("script_bias"):
        model_options.setdefault("target_script", "cjk" if to_code in ("zh", "zt") else "latin")
    sentencepiece_model = train_sentencepiece(seed=seed)
    with tempfile.TemporaryDirectory(prefix="tinymodel-") as scratch:
        root = Path(scratch) / folder_name
        (root / "model").mkdir(parents=True)
        build_ctranslate2_model(root / "model", sentencepiece_model, seed=seed, **model_options)
        (root / "sentencepiece.model").write_bytes(sentencepiece_model)
        metadata = {
            "package_version": version,
            "argos_version": "1.9",
            "from_code": from_code,
            "from_name": from_code,
            "to_code": to_code,
            "to_name": to_code,
            "type": "translate",
        }
        if target_prefix:
            metadata["target_prefix"] = target_prefix
        (root / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
        (root / "README.md").write_text("Test model with random weights.\n", encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(root.rglob("*")):
                archive.write(file, file.relative_to(root.parent).as_posix())
    return target


class FakeTranslator:
    """A deterministic translator with the engine's interface (``key``, ``translate``).

    Texts found in ``table`` are replaced by their entry; any other text is
    upper-cased word by word (placeholders such as ``[T0]`` come through
    unchanged). Every call is recorded, so tests can check what was sent.
    """

    def __init__(self, table: dict[str, str] | None = None, key: str = "fake") -> None:
        self.table = dict(table or {})
        self.key = key
        self.calls: list[list[str]] = []

    def translate(self, texts: Any) -> list[str]:
        batch = list(texts)
        self.calls.append(batch)
        return [self.table.get(text, text.upper()) for text in batch]

    @property
    def sent(self) -> list[str]:
        return [text for call in self.calls for text in call]


# --- pytest fixtures (import them into a test module to use them) ---------------------

try:
    import pytest
except ImportError:  # pragma: no cover - the benchmark imports this module without pytest
    pytest = None  # type: ignore[assignment]

# The pairs the translation tests need: zh→en and en→fr (and so zh→fr by pivot), en→zh.
TEST_PAIRS = (("zh", "en"), ("en", "fr"), ("en", "zh"))


def built_packages(base: Path) -> dict[tuple[str, str], Path]:
    """The test packages as .argosmodel files, built once under ``base`` and reused."""
    folder = base / "tinymodels"
    folder.mkdir(parents=True, exist_ok=True)
    built = {}
    for number, (source, target) in enumerate(TEST_PAIRS):
        path = folder / f"translate-{source}_{target}.argosmodel"
        if not path.exists():
            partial = path.with_suffix(".part")
            build_argos_package(
                partial, from_code=source, to_code=target, seed=11 + number, eos_bias=2.0, script_bias=4.0
            )
            partial.replace(path)
        built[(source, target)] = path
    return built


def install_packages(packages: dict[tuple[str, str], Path], directory: Path) -> Path:
    """Install with argostranslate's own install_from_path (through screenkit's wrapper)."""
    import os

    from toolkit.translate.models import install_file

    old = os.environ.get("ARGOS_PACKAGES_DIR")
    os.environ["ARGOS_PACKAGES_DIR"] = str(directory)
    try:
        for path in packages.values():
            install_file(path)
    finally:
        if old is None:
            os.environ.pop("ARGOS_PACKAGES_DIR", None)
        else:
            os.environ["ARGOS_PACKAGES_DIR"] = old
    return directory


if pytest is not None:

    @pytest.fixture(scope="session")
    def tiny_packages(tmp_path_factory: Any) -> dict[tuple[str, str], Path]:
        """The .argosmodel files (built once per test session, shared by every module)."""
        return built_packages(tmp_path_factory.getbasetemp())

    @pytest.fixture(scope="session")
    def argos_packages_dir(tiny_packages: dict[tuple[str, str], Path], tmp_path_factory: Any) -> Path:
        """An ARGOS_PACKAGES_DIR with the test packages installed (read-only for tests)."""
        directory = tmp_path_factory.getbasetemp() / "argos-packages"
        if not directory.exists():
            install_packages(tiny_packages, directory)
        return directory

    @pytest.fixture
    def argos_env(argos_packages_dir: Path, monkeypatch: Any, tmp_path: Path) -> dict[str, str]:
        """Environment for a test that translates with the installed test packages."""
        env = {
            "ARGOS_PACKAGES_DIR": str(argos_packages_dir),
            "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        }
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        return env
