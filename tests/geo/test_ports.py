from __future__ import annotations

from pathlib import Path

import pytest

from armswatch.errors import BadInputError
from armswatch.geo import haversine_m, load_ports, ports_with_role
from armswatch.geo.ports import read_ports_csv


def test_bundled_ports_cover_the_case() -> None:
    ports = {p.port_id: p for p in load_ports()}
    for pid in ("KP-RJN", "KP-CHO", "KP-NAM", "KP-WON", "RU-VYP", "RU-DUNAY", "IR-BND", "SY-TTS"):
        assert pid in ports
    assert all(p.source for p in ports.values())
    assert {p.port_id for p in ports_with_role("dprk_port")} >= {"KP-RJN", "KP-NAM"}
    assert len(ports) == len({p.port_id for p in load_ports()})


def test_rajin_to_vostochny_distance() -> None:
    ports = {p.port_id: p for p in load_ports()}
    a, b = ports["KP-RJN"], ports["RU-VYP"]
    # about 245 km in a straight line
    assert 230_000 < haversine_m(a.lat, a.lon, b.lat, b.lon) < 260_000


def test_user_table_errors_name_the_line(tmp_path: Path) -> None:
    p = tmp_path / "mine.csv"
    p.write_text(
        "port_id,name,country,locode,lat,lon,radius_m,roles,source\n"
        "X-1,Somewhere,XX,,10,20,3000,transit_mena,me\n"
        "X-2,Bad,XX,,100,20,3000,transit_mena,me\n"
    )
    with pytest.raises(BadInputError, match=r"mine.csv:3"):
        read_ports_csv(p)
