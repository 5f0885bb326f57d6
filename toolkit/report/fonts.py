"""A CJK font small enough to embed: the packaged Noto Sans CJK, subset to the glyphs used.

The report must be one self-contained file that shows Chinese titles on a
machine without CJK fonts; the full collection is 19 MB, a subset of the few
hundred characters a report uses is a few dozen KB.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache


@lru_cache(maxsize=8)
def subset_font_data_uri(characters: str) -> str | None:
    """A ``data:`` URI of the packaged CJK font holding only ``characters``; None without the font."""
    from toolkit.media.fonts import packaged_face  # the face burned copies use
    from toolkit.text.faces import SIMPLIFIED_FACE

    face = packaged_face(SIMPLIFIED_FACE)
    wanted = sorted({ch for ch in characters if ord(ch) > 0x2E7F})
    if face is None or not wanted:
        return None
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.font_number = face.index  # the SC face of the collection
    font = subset.load_font(str(face.file), options)  # keeps the head timestamp: same bytes every run
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(wanted))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return "data:font/otf;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
