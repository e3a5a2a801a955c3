from __future__ import annotations

from pathlib import Path

import pytest

from armswatch.errors import BadInputError
from armswatch.model import LinkKind, Schema
from armswatch.network import RegistryRole, parse_registry, read_registry

FIXTURE = Path(__file__).parent / "fixtures" / "registry_small.csv"
HEADER = "imo,role,company,country,share_pct,from,to,owned_company"


def test_reads_fixture_rows_links_and_entities() -> None:
    reg = read_registry(FIXTURE)
    assert len(reg.rows) == 11
    first = reg.rows[0]
    assert first.line == 3  # comment line and header counted
    assert first.role is RegistryRole.REGISTERED_OWNER
    assert first.country == "RU"  # upper-cased
    links = reg.links()
    owner = links[0]
    assert owner.kind is LinkKind.OWNER
    assert owner.target_id == "imo-9179842"
    assert owner.share_pct == 100.0  # registered owner without a share holds title
    assert owner.origin.endswith(":3")
    ism = links[1]
    assert ism.kind is LinkKind.MANAGER
    assert ism.share_pct is None
    share = links[3]
    assert share.source_id == "registry-listed-parent-co"
    assert share.target_id == "registry-eastern-shuttle-shipping-llc"
    assert share.share_pct == 30.0
    ents = {e.id: e for e in reg.entities()}
    assert ents["imo-9179842"].schema is Schema.VESSEL
    assert ents["registry-eastern-shuttle-shipping-llc"].countries == ["RU"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("9179843,registered_owner,A,RU,,,,", "bad IMO number"),
        ("9179842,owner,A,RU,,,,", "unknown role 'owner'"),
        ("9179842,registered_owner,,RU,,,,", "company is empty"),
        (",registered_owner,A,RU,,,,", "needs an imo"),
        (",shareholder,A,RU,,,,B", "needs share_pct"),
        (",shareholder,A,RU,120,,,B", "outside 0-100"),
        (",shareholder,A,RU,ten,,,B", "not a number"),
        ("9179842,shareholder,A,RU,10,,,B", "exactly one of imo or owned_company"),
        ("9179842,ship_manager,A,RU,10,,,", "not an ownership role"),
        ("9179842,ship_manager,A,RU,,2020-13-45x,,", "from date"),
        ("9179842,ship_manager,A,RU,,2021,2020,", "before from"),
        (",shareholder,A,RU,10,,,A", "shares in itself"),
    ],
)
def test_bad_rows_name_the_line(row: str, message: str) -> None:
    with pytest.raises(BadInputError) as err:
        parse_registry([HEADER, row], origin="reg.csv")
    assert message in str(err.value)
    assert err.value.line == 2
    assert err.value.path == "reg.csv"


def test_missing_and_unknown_columns() -> None:
    with pytest.raises(BadInputError, match="lacks columns"):
        parse_registry(["imo,role,company"])
    with pytest.raises(BadInputError, match="unknown registry columns"):
        parse_registry([HEADER + ",sharepct"])


def test_shares_over_100_at_the_same_time_rejected() -> None:
    rows = [HEADER, ",shareholder,A,,60,2020,,C", ",shareholder,B,,50,2021,,C"]
    with pytest.raises(BadInputError, match="add up to 110"):
        parse_registry(rows)
    # successive holdings do not overlap: fine
    ok = [HEADER, ",shareholder,A,,60,2020,2020-12,C", ",shareholder,B,,50,2021,,C"]
    assert len(parse_registry(ok).rows) == 2


def test_blank_lines_and_imo_prefix() -> None:
    reg = parse_registry([HEADER, "", "IMO 9179842,registered_owner,A,,,,,"])
    assert reg.rows[0].imo == "9179842"


def test_bundled_example_reads() -> None:
    from armswatch.paths import package_data

    reg = read_registry(package_data("registry_example.csv"))
    shuttle = {r.imo for r in reg.rows if r.imo and (r.source or "").startswith("example: shuttle")}
    assert shuttle == {"9900019", "9900021", "9900033", "9900045"}
    listed_ids = {r.company_id for r in reg.rows if r.company_id}
    assert listed_ids == {
        "us_ofac_sdn-37065",
        "us_ofac_sdn-17068",
        "us_ofac_sdn-23708",
        "us_ofac_sdn-46622",
    }
