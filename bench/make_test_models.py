"""Write the tiny argos test models (random weights) the test suite builds, as files.

    .venv/bin/python bench/make_test_models.py build/models

writes ``translate-zh_en-test.argosmodel``, ``translate-en_fr-test.argosmodel`` and
``translate-en_zh-test.argosmodel`` into the folder (tests/tinymodel.py; each a real
argos package of a CTranslate2 model and a SentencePiece tokenizer). They translate
nonsense, quickly: for trying ``screenkit models install``, ``translate`` and the Ray
executor without downloading real models. Files already there are kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from tinymodel import TEST_PAIRS, build_argos_package


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: make_test_models.py FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, (source, target) in enumerate(TEST_PAIRS):
        path = folder / f"translate-{source}_{target}-test.argosmodel"
        if not path.exists():
            partial = path.with_name(path.name + ".part")
            # The same seeds and biases as the suite's models (tinymodel.built_packages).
            build_argos_package(
                partial, from_code=source, to_code=target, seed=11 + number, eos_bias=2.0, script_bias=4.0
            )
            partial.replace(path)
        written.append(path.name)
    print(f"{folder}: {', '.join(written)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
