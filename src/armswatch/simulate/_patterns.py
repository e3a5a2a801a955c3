"""The behaviours of concern, each a function drawing one vessel's (or pair's) script.

* :func:`shuttle` — the DPRK → Russia munitions shuttle (RUSI "The Orient Express",
  2023; CSIS Beyond Parallel 2023–24): a Russian-flagged cargo ship calls at Vostochny or
  the Dunay naval pier, switches AIS off at sea, loads at Rajin, and reappears near the
  Russian coast days later.
* :func:`sts_pair` — ship-to-ship transfer at sea: one tanker drifts, the other comes
  alongside for hours (optionally with its transponder off, as DPRK-linked tankers do).
* :func:`identity_vessel` — renamed, reflagged (new MMSI under a flag of convenience,
  same IMO), a false IMO, a changed ship type, or another ship's IMO.
* :func:`spoofer` — false positions: a shifted track, a fixed point inland, circles on
  land (GNSS spoofing), a glitch far away.
"""

from __future__ import annotations

import math

import numpy as np

from armswatch.simulate._geo import haversine_m, offset_m
from armswatch.simulate._identity import (
    CONVENIENCE_FLAGS,
    FLAGS,
    random_callsign,
    random_identity,
    random_imo,
    random_mmsi,
    random_name,
)
from armswatch.simulate._landmask import load_mask
from armswatch.simulate._motion import DriftLeg, PlanBuilder, SailLeg, StopLeg, sample
from armswatch.simulate._routes import sea_route
from armswatch.simulate._script import DarkVisit, SpoofEpisode, VesselScript
from armswatch.simulate._world import (
    DAY,
    H,
    World,
    arrive,
    innocent_merchant,
    moor_heading,
    pick_flag,
    port_call,
    route_start,
    safe_drift,
    trading_life,
)

RUSSIAN_RECEIVING = ("RU-VYP", "RU-DUNAY")
RUSSIAN_FEEDERS = ("RU-VVO", "RU-ZAR", "RU-NJK", "RU-PSE")
DPRK_LOADING = "KP-RJN"
# Areas where ship-to-ship transfers with DPRK-linked tankers were reported (UN Panel of
# Experts reports 2018-2023): East China Sea off Zhoushan, Korea Bay / Yellow Sea, and
# the Sea of Japan off Primorye. (lat_min, lat_max, lon_min, lon_max)
STS_AREAS = ((29.6, 31.4, 122.9, 124.4), (35.6, 37.4, 123.6, 124.7), (41.6, 42.3, 131.6, 133.4))


def shuttle(world: World, rng: np.random.Generator, key: int) -> VesselScript:
    ident = random_identity(rng, "cargo", "RU").changed(ship_type=70)
    speed = float(rng.uniform(9.0, 12.0))
    rajin = world.by_id[DPRK_LOADING]
    receiving = [world.by_id[c] for c in RUSSIAN_RECEIVING]
    feeders = [world.by_id[c] for c in RUSSIAN_FEEDERS if world.by_id[c].berth is not None]
    for _ in range(40):
        frm = feeders[int(rng.integers(len(feeders)))]
        r1 = receiving[int(rng.integers(len(receiving)))]
        route = world.route(frm, r1)
        if route is None:
            continue
        lo, hi = frm.radius_m + 4000.0, route.length_m - r1.radius_m - 4000.0
        if hi > lo:
            break
    else:
        raise RuntimeError("no shuttle start found")
    s0 = float(rng.uniform(lo, hi))
    lat, lon = route_start(route, s0)
    pb = PlanBuilder(world.t0, lat, lon)
    script = VesselScript(key, "shuttle", False, pb.legs, [(world.t0 - DAY, ident)])
    script.destinations.append((world.t0 - DAY, r1.name.upper()[:20]))
    arrive(world, rng, pb, route, speed, r1, s0_m=s0, depart=False, may_wait=False)
    while True:
        port_call(world, rng, pb, script, r1, float(rng.uniform(12, 30)) * H, allow_off=False)
        out = world.route(r1, rajin)
        r2 = receiving[int(rng.integers(len(receiving)))]
        back = world.route(rajin, r2)
        if out is None or back is None:
            break
        moor = float(rng.uniform(24, 60)) * H
        cycle = (out.length_m + back.length_m) / (speed * 0.5144) + moor
        if pb.t + cycle + 6 * H > world.t1:
            break
        # switch off at sea: either soon after leaving Russia or some way short of Rajin
        if rng.random() < 0.3:
            s_off = r1.radius_m + float(rng.uniform(8, 25)) * 1000
        else:
            s_off = out.length_m - float(rng.uniform(40, 110)) * 1000
        s_off = min(max(s_off, r1.radius_m + 8000.0), out.length_m - rajin.radius_m - 5000.0)
        script.destinations.append((pb.t, "FOR ORDERS"))
        pb.sail(out, speed, s1_m=s_off, depart_m=4000.0)
        t_off = pb.t
        pb.sail(out, speed, s0_m=s_off, approach_m=6000.0)
        arrive_t = pb.t
        pb.stop(moor, 5, heading=moor_heading(rng))
        depart_t = pb.t
        s_on = back.length_m - float(rng.uniform(30, 90)) * 1000
        s_on = min(max(s_on, rajin.radius_m + 20_000.0), back.length_m - r2.radius_m - 5000.0)
        pb.sail(back, speed, s1_m=s_on, depart_m=4000.0)
        t_on = pb.t
        script.off.append((t_off, t_on, "dark_port_call"))
        script.dark_visits.append(DarkVisit(rajin.port_id, arrive_t, depart_t))
        script.destinations.append((t_on, r2.name.upper()[:20]))
        pb.sail(back, speed, s0_m=s_on, approach_m=6000.0)
        r1 = r2
    pb.hold_until(world.t1 + H)
    return script


def _sts_point(world: World, rng: np.random.Generator) -> tuple[float, float, float, float]:
    for _ in range(200):
        a = STS_AREAS[int(rng.integers(len(STS_AREAS)))]
        lat, lon = float(rng.uniform(a[0], a[1])), float(rng.uniform(a[2], a[3]))
        if not world.open_sea(lat, lon, coast_km=12.0, port_margin_m=25_000.0):
            continue
        drift = safe_drift(world, rng, lat, lon, float(rng.uniform(0.2, 0.7)))
        if drift is not None:
            return lat, lon, drift[0], drift[1]
    raise RuntimeError("no ship-to-ship transfer point found")


def sts_pair(world: World, rng: np.random.Generator, key_a: int, key_b: int,
             dark_partner: bool) -> list[VesselScript]:
    """Tanker A waits drifting at a point at sea; B comes alongside for hours."""
    span = world.t1 - world.t0
    for _ in range(60):
        lat, lon, drift_kn, drift_dir = _sts_point(world, rng)
        x = world.major[int(rng.integers(len(world.major)))]
        assert x.berth is not None
        ra = sea_route(x.berth, (lat, lon))
        if ra is None or ra.length_m < 60_000:
            continue
        va = float(rng.uniform(10, 13))
        s0a = float(rng.uniform(0.2, 0.8)) * (ra.length_m - 20_000)
        t_a = world.t0 + (ra.length_m - s0a) / (va * 0.5144)
        if not world.t0 + 4 * H < t_a < world.t0 + 0.45 * span:
            continue
        wait = float(rng.uniform(1, 8)) * H
        along = float(rng.uniform(3, 14)) * H
        extra = float(rng.uniform(0.5, 4)) * H
        t_b = t_a + wait
        # B: from another port, timed to arrive alongside at t_b
        got = None
        for _ in range(20):
            y = world.major[int(rng.integers(len(world.major)))]
            assert y.berth is not None
            head = float(rng.uniform(0, 360))
            off_n = 45.0 * math.cos(math.radians(head + 90))
            off_e = 45.0 * math.sin(math.radians(head + 90))
            # A's drift position at t_b, offset abeam
            a_leg = DriftLeg(t_a, t_a + wait + along + extra, 0, lat0=lat, lon0=lon, ref_t=t_a,
                             amp_m=drift_kn * 0.5144 * 44_712.0 / (2 * math.pi),
                             dir_deg=drift_dir, heading=head)
            tgt = a_leg.fill(np.array([t_b]))
            tgt_lat, tgt_lon = offset_m(float(tgt[0][0]), float(tgt[1][0]), off_n, off_e)
            rb = sea_route(y.berth, (float(tgt_lat), float(tgt_lon)))
            if rb is None or rb.length_m < 60_000:
                continue
            app_m, app_kn = 2000.0, 4.0
            for frac in (0.1, 0.3, 0.5, 0.7):
                s0b = frac * rb.length_m
                avail = (t_b - world.t0) - app_m / (app_kn * 0.5144)
                vb = (rb.length_m - s0b - app_m) / max(1.0, avail) / 0.5144
                if 8.0 <= vb <= 14.0:
                    got = (rb, s0b, vb, head, off_n, off_e, a_leg)
                    break
            if got is not None:
                break
        if got is None:
            continue
        rb, s0b, vb, head, off_n, off_e, a_leg = got
        # vessel A
        ident_a = random_identity(rng, "tanker", str(rng.choice(CONVENIENCE_FLAGS)))
        la, lo = route_start(ra, s0a)
        pa = PlanBuilder(world.t0, la, lo)
        sa = VesselScript(key_a, "sts", False, pa.legs, [(world.t0 - DAY, ident_a)])
        pa.sail(ra, va, s0_m=s0a)
        pa.push(DriftLeg(pa.t, a_leg.t1, 0, lat0=lat, lon0=lon, ref_t=t_a,
                         amp_m=a_leg.amp_m, dir_deg=drift_dir, heading=head))
        _sail_on(world, rng, pa, sa, "tanker", va)
        # vessel B
        ident_b = random_identity(rng, str(rng.choice(["tanker", "cargo"])), pick_flag(rng))
        lb, lob = route_start(rb, s0b)
        pbb = PlanBuilder(world.t0, lb, lob)
        sb = VesselScript(key_b, "sts", False, pbb.legs, [(world.t0 - DAY, ident_b)])
        pbb.sail(rb, vb, s0_m=s0b, approach_m=2000.0, approach_kn=4.0)
        pbb.follow(a_leg, t_b + along, off_n, off_e, heading=head)
        _sail_on(world, rng, pbb, sb, "cargo", vb)
        if dark_partner:
            sb.off.append((t_b - float(rng.uniform(2, 5)) * H,
                           t_b + along + float(rng.uniform(2, 5)) * H, "dark_sts"))
        return [sa, sb]
    raise RuntimeError("could not time a ship-to-ship transfer")


def _sail_on(world: World, rng: np.random.Generator, pb: PlanBuilder, script: VesselScript,
             kind: str, speed: float) -> None:
    """Leave the sea point for a port and trade on."""
    for _ in range(20):
        z = world.major[int(rng.integers(len(world.major)))]
        assert z.berth is not None
        r = sea_route((pb.lat, pb.lon), z.berth)
        if r is not None and r.length_m > 30_000:
            script.destinations.append((pb.t, z.name.upper()[:20]))
            arrive(world, rng, pb, r, speed, z, depart=False)
            trading_life(world, rng, pb, script, z, kind, speed, world.t1)
            return
    pb.hold_until(world.t1 + H, nav_status=0)


IDENTITY_KINDS = ("rename", "reflag", "false_imo", "ship_type", "imo_clone")


def _at_sea_times(script: VesselScript, lo: float, hi: float, min_s: float) -> list[SailLeg]:
    return [leg for leg in script.legs if isinstance(leg, SailLeg) and leg.speed_kn > 5
            and leg.t0 >= lo and leg.t1 <= hi and leg.t1 - leg.t0 >= min_s]


def identity_vessel(world: World, rng: np.random.Generator, key: int, kind: str,
                    others: list[VesselScript]) -> VesselScript:
    script = innocent_merchant(world, rng, key, role="identity_swap")
    span = world.t1 - world.t0
    lo, hi = world.t0 + 0.2 * span, world.t0 + 0.8 * span
    old = script.identities[-1][1]
    moored = [leg for leg in script.legs if isinstance(leg, StopLeg) and leg.nav_status == 5
              and leg.t0 >= lo and leg.t1 <= hi]
    sea = _at_sea_times(script, lo, hi, 2 * H)
    if kind == "rename" and moored:
        leg = moored[int(rng.integers(len(moored)))]
        t_c = leg.t0 + float(rng.uniform(0.3, 0.7)) * (leg.t1 - leg.t0)
    elif sea:
        leg2 = sea[int(rng.integers(len(sea)))]
        t_c = leg2.t0 + float(rng.uniform(0.3, 0.7)) * (leg2.t1 - leg2.t0)
    else:
        t_c = float(rng.uniform(lo, hi))
    flag = next((f for f, (mids, _) in FLAGS.items() if old.flag_mid in mids), "PA")
    if kind == "rename":
        new = old.changed(name=random_name(rng), callsign=random_callsign(rng, flag))
    elif kind == "reflag":
        nf = str(rng.choice([f for f in CONVENIENCE_FLAGS if f != flag]))
        new = old.changed(mmsi=random_mmsi(rng, nf), name=random_name(rng),
                          callsign=random_callsign(rng, nf))
        half = float(rng.uniform(3, 9)) * H
        script.off.append((t_c - half, t_c + half, "reflag"))
    elif kind == "false_imo":
        new = old.changed(imo=random_imo(rng))
    elif kind == "ship_type":
        new = old.changed(ship_type=80 if old.ship_type < 80 else 70)
    elif kind == "imo_clone":
        donors = [o for o in others if not o.class_b and o.identities[0][1].imo]
        donor = donors[int(rng.integers(len(donors)))] if donors else None
        imo = donor.identities[0][1].imo if donor is not None else random_imo(rng)
        new = old.changed(imo=imo)
    else:
        raise ValueError(kind)
    script.identities.append((t_c, new))
    return script


def _deep_land(world: World, lat: float, lon: float) -> bool:
    mask = load_mask()
    la, lo = offset_m(lat, lon, 3000 * np.cos(np.linspace(0, 2 * np.pi, 9)),
                      3000 * np.sin(np.linspace(0, 2 * np.pi, 9)))
    pts_lat = np.append(la, lat)
    pts_lon = np.append(lo, lon)
    inside = np.array([world.tile_ok(a, o) for a, o in zip(pts_lat, pts_lon, strict=True)])
    return bool(inside.all() and mask.is_land(pts_lat, pts_lon).all()
                and world.clear_of_ports(lat, lon, 10_000.0))


def spoofer(world: World, rng: np.random.Generator, key: int, kind: str) -> VesselScript:
    script = innocent_merchant(world, rng, key, role="spoofing")
    span = world.t1 - world.t0
    need = {"offset_track": 6 * H, "on_land": 3 * H, "circle": 2 * H, "glitch": 0.5 * H}[kind]
    legs = _at_sea_times(script, world.t0 + 0.1 * span, world.t1 - 0.1 * span, need)
    if not legs:
        legs = [leg for leg in script.legs if isinstance(leg, SailLeg)]
    leg = legs[int(rng.integers(len(legs)))]
    dur = min(need * float(rng.uniform(0.6, 1.0)), 0.9 * (leg.t1 - leg.t0))
    t_s = leg.t0 + float(rng.uniform(0.05, 0.95)) * (leg.t1 - leg.t0 - dur)
    at = sample(script.legs, np.array([t_s]))
    lat0, lon0 = float(at.lat[0]), float(at.lon[0])
    ep: SpoofEpisode | None = None
    mask = load_mask()
    for _ in range(300):
        ang = float(rng.uniform(0, 2 * math.pi))
        if kind == "offset_track":
            d = float(rng.uniform(80, 300)) * 1000
            n_, e_ = d * math.cos(ang), d * math.sin(ang)
            tt = np.linspace(t_s, t_s + dur, 30)
            tr = sample(script.legs, tt)
            fl, fo = offset_m(tr.lat, tr.lon, n_, e_)
            if all(world.tile_ok(float(a), float(o)) for a, o in zip(fl, fo, strict=True)) and \
                    not mask.is_land(fl, fo).any() and \
                    all(world.clear_of_ports(float(a), float(o), 5000.0)
                        for a, o in zip(fl, fo, strict=True)):
                ep = SpoofEpisode(t_s, t_s + dur, kind, north_m=n_, east_m=e_)
                break
        else:
            d = float(rng.uniform(20, 120) if kind != "glitch" else rng.uniform(100, 400)) * 1000
            pl, po = offset_m(lat0, lon0, d * math.cos(ang), d * math.sin(ang))
            p = (float(pl), float(po))
            if kind == "glitch":
                if world.tile_ok(*p):
                    ep = SpoofEpisode(t_s, t_s + 150.0, kind, lat=p[0], lon=p[1])
                    break
                continue
            if not _deep_land(world, p[0], p[1]):
                continue
            if kind == "on_land":
                ep = SpoofEpisode(t_s, t_s + dur, kind, lat=p[0], lon=p[1])
            else:
                ep = SpoofEpisode(t_s, t_s + dur, kind, lat=p[0], lon=p[1],
                                  radius_m=float(rng.uniform(800, 2500)),
                                  speed_kn=float(rng.uniform(4, 12)))
            break
    if ep is not None:
        script.spoofs.append(ep)
    return script


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(haversine_m(a[0], a[1], b[0], b[1])) / 1000.0
