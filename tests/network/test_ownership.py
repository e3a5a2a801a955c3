from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.engine import DuckDBBackend
from armswatch.model import Entity, IdKind, Link, LinkKind, NameKind, Schema
from armswatch.network import (
    ExposureConfig,
    analyse_ownership,
    build_graph,
    exposure_reference,
    read_registry,
)
from armswatch.network._exposure import run_exposure

FIXTURE = Path(__file__).parent / "fixtures" / "registry_small.csv"


def _listed() -> list[Entity]:
    parent = Entity("t-1", Schema.COMPANY, "test_list", "1", programs=["TEST"])
    parent.add_name("LISTED PARENT CO.", NameKind.PRIMARY)
    holder = Entity("t-2", Schema.COMPANY, "test_list", "2")
    holder.add_name("Other name", NameKind.PRIMARY)
    holder.add_name("Second Listed Holder", NameKind.FKA)
    weak = Entity("t-3", Schema.COMPANY, "test_list", "3")
    weak.add_name("Clean Investor Ltd", NameKind.WEAK)  # weak aliases never resolve a name
    ship = Entity("t-4", Schema.VESSEL, "soft_list", "4")
    ship.add_name("SOME SHIP")
    ship.add_identifier(IdKind.IMO, "IMO 8016835")
    return [parent, holder, weak, ship]


def test_graph_resolves_names_and_vessels() -> None:
    g = build_graph(_listed(), [], [read_registry(FIXTURE)], blocking_sources={"test_list"})
    assert g.node_of("t-4") == "imo-8016835"  # listed ship joins the registry ship by IMO
    assert g.nodes["imo-8016835"].listed
    assert not g.nodes["imo-8016835"].blocking_ids
    assert "registry-listed-parent-co" not in g.nodes  # resolved to the list entity
    assert g.alias["registry-listed-parent-co"] == "t-1"
    assert g.alias["registry-second-listed-holder"] == "t-2"  # former name counts
    assert "registry-clean-investor-ltd" in g.nodes
    assert g.seeds() == ["t-1", "t-2", "t-3"]
    owners = {(e.source_id, e.target_id) for e in g.edges if e.kind is LinkKind.OWNER}
    assert ("t-1", "registry-eastern-shuttle-shipping-llc") in owners


def test_fifty_percent_rule_through_registry_chain() -> None:
    g = build_graph(_listed(), [], [read_registry(FIXTURE)], blocking_sources={"test_list"})
    with DuckDBBackend() as be:
        res = analyse_ownership(g, be, as_of="2024-01-01")
    st_ = res.by_node()
    east = st_["registry-eastern-shuttle-shipping-llc"]
    assert east.blocked
    assert east.depth == 1
    assert east.blocked_share_pct == pytest.approx(55.0)
    assert st_["imo-9179842"].blocked
    assert st_["imo-9179842"].depth == 2
    assert st_["registry-primorye-cargo-ltd"].blocked
    assert st_["imo-9615092"].blocked
    assert st_["imo-9615092"].depth == 3
    harmless = st_["registry-harmless-shipping-co"]
    assert not harmless.blocked
    assert harmless.blocked_share_pct == pytest.approx(20.0)
    # listed on a non-blocking list only: listed, not blocked
    ship = st_["imo-8016835"]
    assert ship.listed
    assert not ship.blocked
    # exposure: Listed Parent -owner(0.7)-> Harmless -owner(0.7)-> ship = 0.49 beats the
    # operator path via Vostok, manager of a blocked ship (0.6 * 0.6 = 0.36)
    assert ship.exposure == pytest.approx(0.49)
    assert ship.hops == 2
    assert ship.nearest_blocked == "t-1"
    assert "50 % rule" in east.reason
    assert st_["t-1"].reason == "listed"


def test_as_of_selects_dated_rows() -> None:
    g = build_graph(_listed(), [], [read_registry(FIXTURE)], blocking_sources={"test_list"})
    old = g.edges_table("2019-06-01").to_pylist()
    assert any(e["source_id"] == "registry-old-owner-shipping-sa" for e in old)
    assert not any(e["source_id"] == "registry-eastern-shuttle-shipping-llc" for e in old)
    with DuckDBBackend() as be:
        res = analyse_ownership(g, be, as_of="2019-06-01")
    assert not res.by_node()["imo-9179842"].blocked


def test_ambiguous_name_is_reported_not_merged() -> None:
    a = Entity("a-1", Schema.COMPANY, "l", "1")
    a.add_name("Listed Parent Co")
    b = Entity("b-1", Schema.COMPANY, "l", "1")
    b.add_name("Listed Parent Co")
    g = build_graph([a, b], [], [read_registry(FIXTURE)])
    assert "registry-listed-parent-co" in g.nodes
    assert any("several listed parties" in u for u in g.unresolved)


def test_list_links_are_rewritten_to_vessel_nodes() -> None:
    ship = Entity("s-1", Schema.VESSEL, "l", "1")
    ship.add_identifier(IdKind.IMO, "9179842")
    owner = Entity("s-2", Schema.COMPANY, "l", "2")
    g = build_graph([ship, owner], [Link("s-1", "s-2", LinkKind.ASSOCIATE, "l")])
    assert g.edges[0].source_id == "imo-9179842"


names = st.sampled_from([f"n{i}" for i in range(7)])
kinds = st.sampled_from(["owner", "manager", "associate", "family", "operator"])


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(names, names, kinds), max_size=16), st.sets(names, max_size=2))
def test_exposure_sql_equals_reference(
    edges: list[tuple[str, str, str]], blocked: set[str]
) -> None:
    import pyarrow as pa

    cfg = ExposureConfig(max_hops=3)
    with DuckDBBackend() as be:
        be.register(
            "e",
            pa.table(
                {
                    "source_id": pa.array([e[0] for e in edges], pa.string()),
                    "target_id": pa.array([e[1] for e in edges], pa.string()),
                    "kind": pa.array([e[2] for e in edges], pa.string()),
                }
            ),
        )
        be.register("b", pa.table({"entity_id": pa.array(sorted(blocked), pa.string())}))
        out = be.to_arrow(f"SELECT * FROM {run_exposure(be, 'e', 'b', cfg)}").to_pylist()
    sql = {r["node_id"]: (round(r["exposure"], 9), r["hops"], r["nearest_blocked"]) for r in out}
    ref = {
        k: (round(v[0], 9), v[1], v[2]) for k, v in exposure_reference(edges, blocked, cfg).items()
    }
    assert sql == ref


def test_example_registry_with_real_ofac_list() -> None:
    """The bundled example registry against OFAC's SDN list of 2024-05-03 (shared data)."""
    from armswatch.lists import read_list
    from armswatch.paths import package_data
    from tests.conftest import need

    sdn = read_list(need("sanctions/ofac/sdn_2024-05-03.csv"))
    reg = read_registry(package_data("registry_example.csv"))
    g = build_graph(sdn.entities, sdn.links, [reg], blocking_sources={"us_ofac_sdn"})
    assert not g.unresolved
    with DuckDBBackend() as be:
        st_ = analyse_ownership(g, be, as_of="2024-01-01").by_node()
    prim = st_["registry-primorsky-shuttle-line-llc"]
    assert prim.blocked
    assert prim.blocked_share_pct == pytest.approx(60.0)
    east = st_["registry-eastern-coast-cargo-llc"]
    assert east.blocked
    assert east.blocked_share_pct == pytest.approx(55.0)
    for imo in ("9900019", "9900021", "9900033"):
        assert st_[f"imo-{imo}"].blocked
    assert not st_["imo-9900045"].blocked  # a listed manager does not block (FAQ 398)
    assert st_["imo-9900045"].exposure > 0
    harbour = st_["registry-harbour-line-shipping-sa"]
    assert not harbour.blocked
    assert harbour.blocked_share_pct == pytest.approx(20.0)
    assert st_["imo-9900069"].exposure == 0.0
