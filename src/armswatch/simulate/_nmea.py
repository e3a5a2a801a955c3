"""Archived messages → NMEA lines with tag blocks, as a receiver network's feed writes them:
``\\s:<station>,c:<unix seconds>*hh\\!AIVDM,...`` (multi-part type 5 grouped with ``g:``),
lines in order of arrival at the archive (satellite batches late, so out of time order),
some messages heard by two stations (two lines), a few lines repeated, a few corrupted
(checksum no longer matches, so a decoder drops them)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from armswatch.ais.encode import encode_payload, to_sentences, with_tag_block
from armswatch.simulate._fastenc import position_sentences
from armswatch.simulate._receiver import Messages, ReceiverConfig
from armswatch.simulate._script import VesselScript


@dataclass
class LineNoise:
    """Per-message decisions about how it appears in the feed (drawn before writing so
    the truth knows which messages a decoder can read)."""

    dup: npt.NDArray[np.bool_]  # also heard by a second station
    bad: npt.NDArray[np.bool_]  # (n, 2): copy 0 / copy 1 corrupted
    repeat: npt.NDArray[np.bool_]  # (n, 2): copy written twice
    dup_dt: npt.NDArray[np.float64]

    @property
    def decodable(self) -> npt.NDArray[np.bool_]:
        return ~self.bad[:, 0] | (self.dup & ~self.bad[:, 1])


def draw_noise(msgs: Messages, cfg: ReceiverConfig, rng: np.random.Generator) -> LineNoise:
    n = len(msgs)
    dup = (~msgs.satellite) & (rng.random(n) < cfg.duplicate_p)
    bad = rng.random((n, 2)) < cfg.bad_checksum_p
    repeat = rng.random((n, 2)) < cfg.repeat_line_p
    return LineNoise(dup, bad, repeat, rng.uniform(0.0, 2.0, n))


def station_name(cell: int, satellite: bool) -> str:
    if satellite:
        return f"sim-sat-{cell % 7 + 1}"
    lat = cell // 1000 - 90
    lon = cell % 1000 - 180
    return f"sim-t{abs(lat):02d}{'n' if lat >= 0 else 's'}{abs(lon):03d}{'e' if lon >= 0 else 'w'}"


def _corrupt(sentence: str, rng: np.random.Generator) -> str:
    """Flip one payload character (the checksum stays, so it no longer matches)."""
    head, _, tail = sentence.rpartition("*")
    fields = head.split(",")
    payload = fields[5]
    if not payload:
        return sentence
    k = int(rng.integers(len(payload)))
    ch = "0" if payload[k] != "0" else "1"
    fields[5] = payload[:k] + ch + payload[k + 1:]
    return ",".join(fields) + "*" + tail


def static_payloads(script: VesselScript, msgs: Messages, i: int) -> list[tuple[str, int]]:
    ident = script.identities[int(msgs.identity[i])][1]
    t = float(msgs.tx_t[i])
    if script.class_b:
        return [
            encode_payload(24, {"mmsi": ident.mmsi, "part_num": 0, "name": ident.name}),
            encode_payload(24, {
                "mmsi": ident.mmsi, "part_num": 1, "ship_type": ident.ship_type,
                "vendor_id": "SIM", "callsign": ident.callsign, "to_bow_m": ident.to_bow_m,
                "to_stern_m": ident.to_stern_m, "to_port_m": ident.to_port_m,
                "to_starboard_m": ident.to_starboard_m}),
        ]
    eta = script.destination_at(t)
    return [encode_payload(5, {
        "mmsi": ident.mmsi, "ais_version": 0, "imo": ident.imo or 0,
        "callsign": ident.callsign, "name": ident.name, "ship_type": ident.ship_type,
        "to_bow_m": ident.to_bow_m, "to_stern_m": ident.to_stern_m,
        "to_port_m": ident.to_port_m, "to_starboard_m": ident.to_starboard_m, "epfd": 1,
        "draught_m": ident.draught_m, "destination": eta, "dte": False,
    })]


def feed_lines(scripts: Sequence[VesselScript], pos: Messages, pos_noise: LineNoise,
               pos_mmsi: npt.NDArray[np.int64], stat: Messages, stat_noise: LineNoise,
               rng: np.random.Generator) -> Iterator[str]:
    """All lines of the feed, in order of arrival at the archive."""
    # (deliver time, kind, index, copy)
    kinds = []
    for kind, msgs, noise in ((0, pos, pos_noise), (1, stat, stat_noise)):
        n = len(msgs)
        idx = np.arange(n)
        kinds.append(np.stack([msgs.deliver_t, np.full(n, kind), idx, np.zeros(n)], axis=1))
        d = np.flatnonzero(noise.dup)
        kinds.append(np.stack([msgs.deliver_t[d] + noise.dup_dt[d], np.full(d.size, kind), d,
                               np.ones(d.size)], axis=1))
    e = pos.extra
    channels = ["A" if i % 2 == 0 else "B" for i in range(len(pos))]
    pos_sentences = position_sentences(
        e["msg_type"], pos_mmsi, e["nav_status"].astype(np.int64), e["sog_kn"],
        np.round(e["lon"], 6), np.round(e["lat"], 6), e["cog_deg"], e["heading_deg"],
        pos.tx_t.astype(np.int64) % 60, channels)
    order = np.concatenate(kinds)
    order = order[np.lexsort((order[:, 3], order[:, 2], order[:, 1], order[:, 0]))]
    group = 0
    for deliver, kind_f, i_f, copy_f in order:
        kind, i, copy = int(kind_f), int(i_f), int(copy_f)
        msgs, noise = (pos, pos_noise) if kind == 0 else (stat, stat_noise)
        rx = float(msgs.rx_t[i]) + (float(noise.dup_dt[i]) if copy else 0.0)
        cell = int(msgs.station[i]) + (1 if copy else 0)
        source = station_name(cell, bool(msgs.satellite[i]))
        channel = "A" if i % 2 == 0 else "B"
        lines: list[str] = []
        if kind == 0:
            lines.append(with_tag_block(pos_sentences[i], ts_utc=int(rx), source=source))
            payloads = []
        else:
            payloads = static_payloads(scripts[int(msgs.vessel[i])], msgs, i)
        for payload, fill in payloads:
            seq = group % 10 if len(payload) > 60 else None
            sentences = to_sentences(payload, fill, channel=channel, seq_id=seq)
            if len(sentences) > 1:
                group += 1
            for k, sen in enumerate(sentences, start=1):
                grp = (k, len(sentences), group) if len(sentences) > 1 else None
                lines.append(with_tag_block(sen, ts_utc=int(rx), source=source, group=grp))
        if noise.bad[i, copy]:
            k = int(rng.integers(len(lines)))
            pre, _, sen = lines[k].rpartition("\\")
            lines[k] = pre + "\\" + _corrupt(sen, rng)
        yield from lines
        if noise.repeat[i, copy]:
            yield from lines
        del deliver
