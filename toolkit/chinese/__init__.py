"""Chinese text: script conversion (OpenCC), script detection, word segmentation (jieba).

``convert`` turns Simplified into Traditional (standard, Taiwan with its
vocabulary, Hong Kong) and back, phrase by phrase; ``script`` tells which
script a text is written in; ``words`` segments Chinese into words for the
line breaker (``toolkit.linebreak``). OpenCC and jieba are imported only when
used, so ``screenkit --help`` and ``lint`` stay fast to start.
"""

from toolkit.chinese.convert import (
    CONFIGS,
    config_for,
    convert_lines,
    convert_text,
    convert_track,
    converter,
)
from toolkit.chinese.script import ScriptCount, count_script, is_han, script_language

__all__ = [
    "CONFIGS",
    "ScriptCount",
    "config_for",
    "convert_lines",
    "convert_text",
    "convert_track",
    "converter",
    "count_script",
    "is_han",
    "script_language",
]
