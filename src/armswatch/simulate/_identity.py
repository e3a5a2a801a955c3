"""Synthetic vessel identities: MMSI with a real flag MID, IMO with a valid check digit,
names, call signs, ship types and dimensions. All identifiers are generated; any match
with a real vessel is a coincidence."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

# Maritime Identification Digits (ITU MARS) of the flags used, with call-sign prefixes.
FLAGS: dict[str, tuple[tuple[int, ...], str]] = {
    "RU": ((273,), "U"),
    "CN": ((412, 413, 414), "B"),
    "KR": ((440, 441), "D"),
    "JP": ((431, 432), "J"),
    "PA": ((351, 352, 353, 354, 355, 356, 357, 370, 371, 372, 373), "3E"),
    "LR": ((636,), "D5"),
    "MH": ((538,), "V7"),
    "HK": ((477,), "VR"),
    "SG": ((563, 564, 565, 566), "9V"),
    "KP": ((445,), "HM"),
    "MN": ((457,), "JV"),  # Mongolia: an open registry used by DPRK-linked ships
    "SL": ((667,), "9L"),  # Sierra Leone
    "TG": ((671,), "5V"),  # Togo
    "KM": ((616,), "D6"),  # Comoros
    "CM": ((613,), "TJ"),  # Cameroon
    "VN": ((574,), "XV"),
}
INNOCENT_FLAGS = ("CN", "KR", "JP", "PA", "LR", "MH", "HK", "SG", "RU", "VN")
INNOCENT_FLAG_WEIGHTS = (0.22, 0.14, 0.12, 0.14, 0.1, 0.08, 0.07, 0.05, 0.05, 0.03)
CONVENIENCE_FLAGS = ("MN", "SL", "TG", "KM", "CM", "PA")

_WORDS = (
    "OCEAN", "SEA", "STAR", "PACIFIC", "ORIENT", "GOLDEN", "GREAT", "EASTERN", "BLUE", "SUN",
    "HARMONY", "GLORY", "PROSPER", "FORTUNE", "VICTORY", "BRIGHT", "NOBLE", "PEARL", "JADE",
    "HAI", "XIN", "HONG", "DONG", "HUA", "YONG", "MARU", "PAN", "KOREA", "NORTH", "POLAR",
    "AMUR", "ANGARA", "LENA", "SVETLAYA", "VOLGA", "ZARYA", "MARIA", "SPARTA", "LADOGA",
    "OMEGA", "DELTA", "ATLAS", "CORAL", "WIND", "TRADER", "CARRIER", "PIONEER", "SPIRIT",
)


def imo_check_digit(six: int) -> int:
    digits = [int(c) for c in f"{six:06d}"]
    return sum(d * w for d, w in zip(digits, (7, 6, 5, 4, 3, 2), strict=True)) % 10


def random_imo(rng: np.random.Generator) -> int:
    six = int(rng.integers(900_000, 999_999))
    return six * 10 + imo_check_digit(six)


def random_mmsi(rng: np.random.Generator, flag: str) -> int:
    mids = FLAGS[flag][0]
    return int(mids[int(rng.integers(len(mids)))]) * 1_000_000 + int(rng.integers(100_000, 999_999))


def random_callsign(rng: np.random.Generator, flag: str) -> str:
    prefix = FLAGS[flag][1]
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    tail = "".join(letters[int(i)] for i in rng.integers(0, 26, 5 - len(prefix) + 1))
    return (prefix + tail)[:7]


def random_name(rng: np.random.Generator) -> str:
    n = int(rng.integers(1, 3))
    words = [_WORDS[int(i)] for i in rng.choice(len(_WORDS), n, replace=False)]
    if rng.random() < 0.4:
        words.append(str(int(rng.integers(1, 30))))
    return " ".join(words)[:20]


@dataclass(frozen=True)
class Identity:
    """What a vessel broadcasts about itself (types 5 / 24) plus its MMSI."""

    mmsi: int
    imo: int | None
    name: str
    callsign: str
    ship_type: int
    to_bow_m: int
    to_stern_m: int
    to_port_m: int
    to_starboard_m: int
    draught_m: float

    @property
    def flag_mid(self) -> int:
        return self.mmsi // 1_000_000

    def key(self) -> tuple[int, int | None, str, str, int]:
        """The fields whose change is an identity change."""
        return (self.mmsi, self.imo, self.name, self.callsign, self.ship_type)

    def changed(self, **fields: object) -> Identity:
        return replace(self, **fields)  # type: ignore[arg-type]


SHIP_TYPES = {"cargo": (70, 79), "tanker": (80, 89), "container": (71, 71), "fishing": (30, 30),
              "pleasure": (37, 37), "tug": (52, 52)}


def random_identity(rng: np.random.Generator, kind: str, flag: str, *, class_b: bool = False
                    ) -> Identity:
    lo, hi = SHIP_TYPES[kind]
    ship_type = int(rng.integers(lo, hi + 1)) if hi > lo else lo
    if class_b:
        length = int(rng.integers(8, 30))
        beam = max(3, length // 4)
    elif kind == "container":
        length, beam = int(rng.integers(140, 300)), int(rng.integers(22, 45))
    elif kind == "tanker":
        length, beam = int(rng.integers(90, 250)), int(rng.integers(15, 44))
    else:
        length, beam = int(rng.integers(70, 190)), int(rng.integers(12, 30))
    bow = int(length * rng.uniform(0.7, 0.9))
    port_side = beam // 2
    return Identity(
        mmsi=random_mmsi(rng, flag),
        imo=None if class_b else random_imo(rng),
        name=random_name(rng),
        callsign=random_callsign(rng, flag),
        ship_type=ship_type,
        to_bow_m=bow,
        to_stern_m=length - bow,
        to_port_m=port_side,
        to_starboard_m=beam - port_side,
        draught_m=0.0 if class_b else round(float(rng.uniform(4.0, 13.0)), 1),
    )
