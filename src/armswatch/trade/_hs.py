"""HS / CN product codes: cleaning, levels and nomenclature editions."""

from __future__ import annotations

import re

TOTAL = "TOTAL"
_TOTAL_WORDS = {"TOTAL", "TOT", "ALL", "TOTAL-TOTAL", "00", "AG0"}

#: UN Comtrade classification codes -> HS edition.
COMTRADE_CLASSIFICATIONS: dict[str, str] = {
    "H0": "HS1992", "H1": "HS1996", "H2": "HS2002", "H3": "HS2007", "H4": "HS2012",
    "H5": "HS2017", "H6": "HS2022",
}
#: CEPII BACI file-name tags -> HS edition.
BACI_TAGS: dict[str, str] = {
    "HS92": "HS1992", "HS96": "HS1996", "HS02": "HS2002", "HS07": "HS2007", "HS12": "HS2012",
    "HS17": "HS2017", "HS22": "HS2022",
}


def clean_code(raw: str) -> tuple[str, int, bool]:
    """Return ``(code, level, padded)`` for a published product code.

    Dots and spaces are removed; an odd number of digits (a leading zero lost by a
    spreadsheet) is padded with one zero and reported as ``padded``. ``TOTAL`` has
    level 0. Codes with letters (Eurostat confidential codes such as ``8471SSSS``) keep
    their text; their level is the number of leading digits.
    """
    text = raw.strip().upper()
    if not text or text in _TOTAL_WORDS or text.startswith("TOTAL"):
        return TOTAL, 0, False
    # "8471 - label" or "8471-label" as exported by Easy Comext
    m = re.match(r"^([0-9A-Z]+)\s*-\s*\D", text)
    if m:
        text = m.group(1)
        if text in _TOTAL_WORDS:
            return TOTAL, 0, False
    text = text.replace(".", "").replace(" ", "")
    if text.isdecimal():
        if len(text) % 2 == 1:
            return "0" + text, len(text) + 1, True
        return text, len(text), False
    digits = len(text) - len(text.lstrip("0123456789"))
    return text, digits, False


def cn_version(period: str) -> str:
    """The Combined Nomenclature edition of a period (CN<year>).

    CN editions 2017-2021 are built on HS 2017; CN 2022 onwards on HS 2022.
    """
    return f"CN{period[:4]}"


def hs_base(version: str | None) -> str | None:
    """The HS edition under a version tag (CN2021 -> HS2017)."""
    if version is None:
        return None
    if version.startswith("HS"):
        return version
    if version.startswith("CN") and version[2:].isdecimal():
        year = int(version[2:])
        for start, hs in ((2022, "HS2022"), (2017, "HS2017"), (2012, "HS2012"),
                          (2007, "HS2007"), (2002, "HS2002"), (1996, "HS1996")):
            if year >= start:
                return hs
        return "HS1992"
    return None
