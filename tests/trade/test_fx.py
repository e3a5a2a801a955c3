from __future__ import annotations

from pathlib import Path

import pytest

from armswatch.errors import BadInputError
from armswatch.trade._fx import convert, read_rates
from tests.trade.helpers import flows


def test_convert_with_yearly_and_monthly_rates(tmp_path: Path) -> None:
    f = tmp_path / "fx.csv"
    f.write_text("# USD to EUR\ncurrency,period,rate\nUSD,2022,0.95\nUSD,2022-03,0.9\n")
    rates = read_rates(f)
    t = flows([{"period": "2022-03", "value": 100.0, "currency": "USD"},
               {"period": "2022-04", "value": 100.0, "currency": "USD"},
               {"period": "2022-04", "value": 7.0, "currency": "EUR"},
               {"period": "2022-05", "value": None, "currency": "USD"}])
    out = convert(t, rates, "eur")
    assert out.column("value").to_pylist() == pytest.approx([90.0, 95.0, 7.0, None])
    assert set(out.column("currency").to_pylist()) == {"EUR"}


def test_missing_rate_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "fx.csv"
    f.write_text("currency,period,rate\nUSD,2021,0.85\n")
    t = flows([{"period": "2022", "value": 1.0, "currency": "USD"}])
    with pytest.raises(BadInputError, match="no exchange rate to EUR for: USD 2022"):
        convert(t, read_rates(f), "EUR")
    f.write_text("currency,period,rate\nUSD,2021,-1\n")
    with pytest.raises(BadInputError, match="positive"):
        read_rates(f)


def test_comext_numeric_codes_need_iso_columns(tmp_path: Path) -> None:
    from armswatch.trade import read_file

    f = tmp_path / "full.dat"
    f.write_text("REPORTER,PARTNER,PRODUCT_NC,FLOW,PERIOD,VALUE_IN_EUROS\n"
                 "004,083,85423190,2,202203,10\n")
    with pytest.raises(BadInputError, match="numeric country codes"):
        read_file(f)
