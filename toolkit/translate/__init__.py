"""Offline batch translation of subtitle tracks on argostranslate models.

Nothing here imports ``argostranslate.translate`` (it pulls in stanza,
spaCy and PyTorch); only ``argostranslate.package`` and CTranslate2.
"""
