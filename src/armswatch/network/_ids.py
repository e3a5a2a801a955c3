"""Node ids of the ownership graph and IMO number checks (pure functions)."""

from __future__ import annotations

import re

from normality import slugify
from rigour.territories import lookup_territory

_IMO = re.compile(r"^(?:IMO\s*)?(\d{7})$", re.IGNORECASE)


def imo_check_ok(imo: str) -> bool:
    """True when a 7-digit IMO ship number has a valid check digit.

    The check digit is the last digit of the sum of the first six digits weighted
    7, 6, 5, 4, 3 and 2 (IMO Resolution A.1078(28), Annex para. 2).
    """
    if len(imo) != 7 or not imo.isdecimal():
        return False
    total = sum(int(d) * w for d, w in zip(imo[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(imo[6])


def clean_imo(value: str | int | None) -> str | None:
    """A 7-digit IMO number with a valid check digit, else None ("IMO 9179842" accepted)."""
    if value is None:
        return None
    text = str(value).strip()
    m = _IMO.match(text)
    if m is None or not imo_check_ok(m.group(1)):
        return None
    return m.group(1)


def vessel_node_id(imo: str | None = None, mmsi: int | None = None) -> str:
    """The graph node of a ship: ``imo-<IMO>`` (decisive) or ``mmsi-<MMSI>``."""
    if imo:
        return f"imo-{imo}"
    if mmsi is not None:
        return f"mmsi-{int(mmsi)}"
    raise ValueError("a vessel node needs an IMO number or an MMSI")


def company_key(name: str) -> str:
    """Normalised company name used to join registry rows (case, accents, punctuation)."""
    return slugify(name, sep="-") or ""


def registry_node_id(name: str) -> str:
    """Graph node of a registry company that is not a list entity."""
    return f"registry-{company_key(name)}"


def normalise_flag(value: str) -> str | None:
    """ISO alpha-2 (upper case) for a flag given as a code or a country name."""
    text = value.strip()
    if not text:
        return None
    territory = lookup_territory(text)
    if territory is None:
        return text.upper() if len(text) == 2 and text.isalpha() else None
    return str(territory.code).upper()
