"""Conformance on every real NMEA line in the shared data: vs pyais and vs gpsd.

Each disagreement has to fall into an explained category (where pyais is wrong or makes
a different, documented choice); see docs/ais.md, "Conformance".
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import need

from .conformance import (
    GPSD_POSITION,
    GPSD_STATIC,
    Tally,
    compare_multipart,
    compare_single_sentences,
    decode,
    gpsd_objects,
    gpsd_verdict,
    nmea_files,
)

# category -> why armswatch and pyais differ there (pyais is wrong, or chooses otherwise)
EXPLAINED = {
    "rot_127_pyais_keeps_raw_code": "ROT +-127 means 'turning, no turn sensor': pyais keeps "
    "the code 127, armswatch gives the rate it encodes (+-720 deg/min, as libais does)",
    "differs:ship_type": "pyais turns codes missing from its ShipType enum (e.g. 39, reserved) "
    "into 0; armswatch keeps the transmitted code",
    "differs:epfd": "pyais turns EPFD codes missing from its enum (9-14) into 0",
    "text_differs": "characters after the first '@' (the padding): pyais keeps them when "
    "they are not '@', armswatch cuts at the first '@' (ITU: '@' = end of text)",
    "null_vs_value": "payload shorter than the field: pyais pads the missing bits with zeros "
    "and decodes a value; armswatch gives null (and counts the message as too short); or "
    "the type 9 speed 1023 (n/a) that pyais returns as 1023 knots",
}


def _explained(category: str) -> bool:
    kind, _, _field = category.partition(":")
    return category in EXPLAINED or kind in EXPLAINED


def _run(paths: list[Path]) -> Tally:
    tally = Tally()
    for p in paths:
        r = decode(p)
        compare_single_sentences(p, tally, r)
        compare_multipart(p, tally, r)
    return tally


def _check(tally: Tally) -> None:
    rate = tally.equal / tally.compared
    print(f"\npyais agreement: {tally.equal:,} / {tally.compared:,} fields equal "
          f"({rate:.4%}) over {tally.messages:,} messages")
    for k, v in tally.categories.most_common():
        print(f"  {k}: {v}  e.g. {tally.examples.get(k, [])[:1]}")
    unexplained = {k: v for k, v in tally.categories.items() if not _explained(k)}
    assert not unexplained, {k: tally.examples.get(k) for k in unexplained}
    assert rate > 0.99


def test_pyais_differential_quick() -> None:
    files = [need("ais/nmea/gfw_ais_listener/nmea-with-tagblock.txt"),
             need("ais/nmea/pyais/nmea_data_sample.txt"),
             need("ais/nmea/gfw_ais_tools/mixed_types.nmea"),
             need("ais/nmea/libais/test.aivdm")]
    tally = _run(files)
    assert tally.messages > 10_000
    _check(tally)


@pytest.mark.slow
def test_pyais_differential_every_real_line(shared: Path) -> None:
    tally = _run(nmea_files(shared))
    assert tally.messages > 100_000
    _check(tally)


GPSD_EXPLAINED = {
    "text_differs:shipname": "gpsd keeps text after an '@' that is followed by characters",
    "text_differs:callsign": "gpsd keeps leading spaces; armswatch strips them",
    "text_differs:vendorid": "gpsd reads the pre-M.1371-4 42-bit vendor id (7 characters); "
    "armswatch follows M.1371-5: 18-bit manufacturer id + model + serial number",
}


@pytest.mark.parametrize(
    "name",
    ["ais-18-27.log", "ais-nmea.log", "ais-raw-messages.log", "ais_unpack_sixbit.log",
     "ait250.log", "saab-r4.log", "ais-nmea-type6-fid55.log"],
)
def test_gpsd_expected_decodes(name: str) -> None:
    log = need(f"ais/nmea/gpsd/daemon/{name}")
    expected = gpsd_objects(log.with_name(name + ".chk"))
    res = decode(log)
    rows: dict[tuple[int, int], list[dict[str, object]]] = {}
    for table in (res.positions, res.statics):
        for row in table.to_pylist():
            rows.setdefault((int(row["msg_type"]), int(row["mmsi"])), []).append(row)
    cats: Counter[str] = Counter()
    compared = matched = 0
    for obj in expected:
        t, mmsi = int(obj["type"]), int(obj["mmsi"])  # type: ignore[call-overload]
        mapping = GPSD_POSITION if t in (1, 2, 3, 4, 9, 18, 27) else GPSD_STATIC
        if t not in (1, 2, 3, 4, 5, 9, 18, 19, 21, 24, 27):
            continue
        queue = rows.get((t, mmsi), [])
        # gpsd merges type 24 parts A and B into one object: compare with part B
        part_b = [r for r in queue if r["part_num"] == 1] if t == 24 else []
        candidates = part_b or queue
        if not candidates:
            cats["missing"] += 1
            continue
        def verdicts(row: dict[str, object], obj: dict[str, object] = obj,
                     mapping: dict[str, tuple[str, int]] = mapping,
                     t: int = t) -> list[tuple[str, str]]:
            return [(g, gpsd_verdict(g, row[o], obj[g], sc, t)) for g, (o, sc) in mapping.items()
                    if g in obj and o in row and not (t == 24 and g == "shipname")]

        # the expected decode of the same vessel's message, in order; exact repeats were
        # dropped from gpsd's output, so take the first candidate that agrees if any
        row = next((r for r in candidates if all(v == "equal" for _g, v in verdicts(r))),
                   candidates[0])
        if t != 24:
            queue.remove(row)
        matched += 1
        for gname, v in verdicts(row):
            compared += 1
            if v != "equal":
                cats[f"{v}:{gname}"] += 1
    print(f"\ngpsd {name}: {matched} messages, {compared} fields, disagreements {dict(cats)}")
    assert matched >= 0.95 * sum(1 for o in expected if o["type"] in (1, 2, 3, 4, 5, 9, 18,
                                                                       19, 21, 24, 27))
    assert set(cats) <= set(GPSD_EXPLAINED), cats
