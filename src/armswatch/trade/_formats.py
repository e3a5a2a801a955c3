"""Trade-table formats as data: required columns, known columns, and a converter each.

Column names are compared after normalisation (lower case, letters and digits only), so
``reporterCode`` (Comtrade API), ``reporter_code`` (comtradr) and ``Reporter Code``
(Comtrade legacy CSV) are the same column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from armswatch.trade import _columns as C  # noqa: N812 - short alias, used everywhere
from armswatch.trade._hs import BACI_TAGS, COMTRADE_CLASSIFICATIONS
from armswatch.trade._schema import FLAG_BIT, FLOW_SCHEMA, flags_text


def norm_col(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.replace("\ufeff", "").lower())


@dataclass(frozen=True)
class ReadOptions:
    """Reader settings for inputs that do not say everything themselves."""

    default_flow: str | None = None  # for files without a flow column (Eurostat CN8 extract)
    hs_version: str | None = None  # e.g. HS2017 for BACI files whose name has no HS tag


Converter = Callable[[C.Batch, "ReadOptions", str], pa.Table]


@dataclass(frozen=True)
class FormatSpec:
    name: str
    description: str
    required: tuple[frozenset[str], ...]  # each entry: one of these columns must exist
    known: frozenset[str]
    convert: Converter

    def matches(self, columns: set[str]) -> bool:
        return all(alts & columns for alts in self.required)

    def score(self, columns: set[str]) -> int:
        return len(columns & (self.known | frozenset().union(*self.required)))


# --- assembling the tidy table -----------------------------------------------------------

def _basis(flow: pa.Array) -> pa.Array:
    return pc.if_else(pc.is_in(flow, pa.array(["export", "re-export", "domestic-export"])), "FOB",
                      pc.if_else(pc.is_in(flow, pa.array(["import", "re-import",
                                                          "foreign-import"])), "CIF",
                                 pa.scalar(None, pa.string())))


def assemble(batch: C.Batch, source: str, flags: np.ndarray, **cols: pa.Array | None,
             ) -> pa.Table:
    n = batch.n
    values = cols["value"]
    assert values is not None
    C.flag_negative(values, flags)
    uniq, inv = np.unique(flags, return_inverse=True)
    texts = pa.array([flags_text(int(u)) for u in uniq], pa.string()).take(pa.array(inv))
    flow = cols["flow"]
    assert flow is not None
    data: dict[str, pa.Array] = {
        "value_basis": _basis(flow),
        "source": C.constant(source, n),
        "source_line": pa.array(np.arange(batch.first_line, batch.first_line + n), pa.int64()),
        "flags": texts,
    }
    for name, arr in cols.items():
        if arr is not None:
            data[name] = arr
    arrays = []
    for field in FLOW_SCHEMA:
        arr = data.get(field.name)
        arrays.append(pa.nulls(n, field.type) if arr is None else arr.cast(field.type))
    return pa.Table.from_arrays(arrays, schema=FLOW_SCHEMA)


def _flow_or_default(batch: C.Batch, opts: ReadOptions, column: str | None) -> pa.Array:
    if column is not None:
        return C.flows(batch, column)
    flow = opts.default_flow or "export"
    if not opts.default_flow:
        batch.notes.append("no flow column: rows read as exports (set default_flow/--flow "
                           "to read them as imports)")
    return C.constant(flow, batch.n)


def _versions_cn(period: pa.Array, level: pa.Array) -> pa.Array:
    year = pc.utf8_slice_codeunits(period, 0, 4)
    cn = pc.binary_join_element_wise(pa.scalar("CN"), year, "")
    return pc.if_else(pc.greater(level, 0), cn, pa.scalar(None, pa.string()))


def _quantity(batch: C.Batch, column: str | None, unit: str | None, flags: np.ndarray,
              ) -> tuple[pa.Array | None, pa.Array | None]:
    if column is None:
        return None, None
    q = C.numbers(batch, column, flags, what="quantity", missing_flag="quantity_missing")
    # a quantity cell that was confidential is not a missing quantity: keep the value flag
    return q, C.constant(unit, batch.n) if unit else None


# --- Eurostat ----------------------------------------------------------------------------

def _eurostat_tidy(batch: C.Batch, opts: ReadOptions, source: str) -> pa.Table:
    flags = np.zeros(batch.n, np.int64)
    reporter, rep_m49 = C.countries(batch, "reportercode", "alpha2", "reporter", flags)
    partner, par_m49 = C.countries(batch, "partnercode", "alpha2", "partner", flags)
    if batch.has("reporterisaggregate"):
        flags |= np.where(C.truthy(batch, "reporterisaggregate"),
                          FLAG_BIT["aggregate_reporter"], 0)
    period, freq = C.periods(batch, "period")
    if batch.has("productcode"):
        code, level = C.product_codes(batch, "productcode", flags)
        version = _versions_cn(period, level)
    else:
        code, level = C.constant("TOTAL", batch.n), pa.array(np.zeros(batch.n, np.int8))
        version = None
    flow = _flow_or_default(batch, opts, batch.first("flow"))
    value = C.numbers(batch, "valueeur", flags, what="value")
    return assemble(batch, source, flags, period=period, freq=freq, reporter=reporter,
                    reporter_m49=rep_m49, partner=partner, partner_m49=par_m49, flow=flow,
                    hs_code=code, hs_level=level, hs_version=version, value=value,
                    currency=C.constant("EUR", batch.n))


def _eurostat_annual_labels(batch: C.Batch, opts: ReadOptions, source: str) -> pa.Table:
    flags = np.zeros(batch.n, np.int64)
    reporter, rep_m49 = C.countries(batch, "reportercode", "auto", "reporter", flags)
    partner, par_m49 = C.countries(batch, "partnerlabel", "name", "partner", flags)
    period, freq = C.periods(batch, "year")
    return assemble(batch, source, flags, period=period, freq=freq, reporter=reporter,
                    reporter_m49=rep_m49, partner=partner, partner_m49=par_m49,
                    flow=C.flows(batch, "flow"), hs_code=C.constant("TOTAL", batch.n),
                    hs_level=pa.array(np.zeros(batch.n, np.int8)),
                    value=C.numbers(batch, "valueeur", flags, what="value"),
                    currency=C.constant("EUR", batch.n))


def _eurostat_relational(batch: C.Batch, opts: ReadOptions, source: str) -> pa.Table:
    """Easy Comext 'relational view' exports and files laid out the same way (labels)."""
    flags = np.zeros(batch.n, np.int64)
    reporter, rep_m49 = C.countries(batch, "reporter", "label", "reporter", flags)
    partner, par_m49 = C.countries(batch, "partner", "label", "partner", flags)
    period, freq = C.periods(batch, "period")
    code, level = C.product_codes(batch, "product", flags)
    vcol = batch.first("valueineur", "valueineuros", "valueeur")
    assert vcol is not None
    qcol = batch.first("quantityinkg", "quantitykg")
    quantity, unit = _quantity(batch, qcol, "kg", flags)
    return assemble(batch, source, flags, period=period, freq=freq, reporter=reporter,
                    reporter_m49=rep_m49, partner=partner, partner_m49=par_m49,
                    flow=C.flows(batch, "flow"), hs_code=code, hs_level=level,
                    hs_version=_versions_cn(period, level),
                    value=C.numbers(batch, vcol, flags, what="value"),
                    currency=C.constant("EUR", batch.n), quantity=quantity, unit=unit)


def _comext_bulk(batch: C.Batch, opts: ReadOptions, source: str) -> pa.Table:
    """Eurostat Comext bulk files (full*.dat / full_v2_*.csv)."""
    flags = np.zeros(batch.n, np.int64)
    rcol = batch.first("declarantiso", "reporteriso", "reporter")
    pcol = batch.first("partneriso", "partner")
    assert rcol is not None
    assert pcol is not None
    for col in (rcol, pcol):
        sample = C._normalise_blank(batch.col(col))
        if pc.any(pc.match_substring_regex(sample, r"^\d+$")).as_py():
            raise batch.fail(sample, pc.filter(sample, pc.match_substring_regex(
                sample, r"^\d+$"))[0].as_py(),
                f"column {col!r} holds Eurostat numeric country codes; armswatch needs the "
                "ISO columns (DECLARANT_ISO, PARTNER_ISO) of the bulk file")
    reporter, rep_m49 = C.countries(batch, rcol, "alpha2", "reporter", flags)
    partner, par_m49 = C.countries(batch, pcol, "alpha2", "partner", flags)
    period, freq = C.periods(batch, "period")
    code, level = C.product_codes(batch, "productnc", flags)
    vcol = batch.first("valueineuros", "valueeur")
    assert vcol is not None
    quantity, unit = _quantity(batch, batch.first("quantityinkg", "quantitykg"), "kg", flags)
    return assemble(batch, source, flags, period=period, freq=freq, reporter=reporter,
                    reporter_m49=rep_m49, partner=partner, partner_m49=par_m49,
                    flow=C.flows(batch, "flow"), hs_code=code, hs_level=level,
                    hs_version=_versions_cn(period, level),
                    value=C.numbers(batch, vcol, flags, what="value"),
                    currency=C.constant("EUR", batch.n), quantity=quantity, unit=unit)


# --- UN Comtrade -------------------------------------------------------------------------

def _country_pair(batch: C.Batch, iso: str, code: str, role: str, flags: np.ndarray,
                  ) -> tuple[pa.Array, pa.Array]:
    if batch.has(iso):
        return C.countries(batch, iso, "alpha3", role, flags)
    return C.countries(batch, code, "numeric", role, flags)


def _breakdown(batch: C.Batch, flags: np.ndarray) -> None:
    """Flag Comtrade rows that split a cell by second partner, customs procedure or transport
    mode (the totals are separate rows: summing both would double count)."""
    for col, totals in (("partner2code", ("", "0")), ("customscode", ("", "C00")),
                        ("motcode", ("", "0")), ("2ndpartnercode", ("", "0"))):
        if batch.has(col):
            arr = C._normalise_blank(batch.col(col))
            sub = pc.invert(pc.is_in(arr, pa.array(list(totals)))).to_numpy(zero_copy_only=False)
            flags |= np.where(sub, FLAG_BIT["breakdown"], 0)


def _comtrade(batch: C.Batch, opts: ReadOptions, source: str) -> pa.Table:
    """Comtrade+ bulk/API rows (camelCase or snake_case column names)."""
    flags = np.zeros(batch.n, np.int64)
    reporter, rep_m49 = _country_pair(batch, "reporteriso", "reportercode", "reporter", flags)
    partner, par_m49 = _country_pair(batch, "partneriso", "partnercode", "partner", flags)
    if batch.has("period"):
        period, freq = C.periods(batch, "period")
    else:
        period, freq = C.year_month(batch, "refyear", batch.first("refmonth"))
    flow = C.flows(batch, batch.first("flowcode", "flowdesc") or "flowcode")
    code, level = C.product_codes(batch, "cmdcode", flags)
    version = None
    if batch.has("classificationcode"):
        cls = pc.utf8_upper(C._normalise_blank(batch.col("classificationcode")))
        version = pc.if_else(pc.greater(level, 0), _lookup(cls, COMTRADE_CLASSIFICATIONS),
                             pa.scalar(None, pa.string()))
    _breakdown(batch, flags)
    quantity = unit = None
    if batch.has("netwgt"):
        quantity, unit = _quantity(batch, "netwgt", "kg", flags)
    elif batch.has("qty"):
        quantity, _ = _quantity(batch, "qty", None, flags)
        unit = C._normalise_blank(batch.col("qtyunitabbr")) if batch.has("qtyunitabbr") else None
    if batch.has("isqtyestimated") and quantity is not None:
        flags |= np.where(C.truthy(batch, "isqtyestimated"), FLAG_BIT["quantity_estimated"], 0)
    # "isAggregate" in Comtrade means the row was summed from sub-rows: still one cell
    value = C.numbers(batch, "primaryvalue", flags, what="value")
    return assemble(batch, source, flags, period=period, freq=freq, reporter=reporter,
                    reporter_m49=rep_m49, partner=partner, partner_m49=par_m49, flow=flow,
                    hs_code=code, hs_level=level, hs_version=version, value=value,
                    currency=C.constant("USD", batch.n), quantity=quantity, unit=unit)


def _lookup(arr: pa.Array, mapping: dict[str, str]) -> pa.Array:
    keys = list(mapping)
    idx = pc.index_in(arr, value_set=pa.array(keys))
    return pc.take(pa.array(list(mapping.values()), pa.string()), idx)


_LEGACY_JSON_RENAME = {
    "pfcode": "classification", "yr": "year", "rgcode": "tradeflowcode", "rtcode": "reportercode",
    "rt3iso": "reporteriso", "ptcode": "partnercode", "pt3iso": "partneriso",
    "cmdcode": "commoditycode", "tradevalue": "tradevalueus", "netweight": "netweightkg",
    "tradequantity": "qty", "qtdesc": "qtyunit",
}


def _comtrade_legacy(batch: C.Batch, opts: ReadOptions, source: str) -> pa.Table:
    """Comtrade legacy CSV downloads and legacy API JSON ('dataset' records)."""
    if batch.has("rtcode"):
        names = [_LEGACY_JSON_RENAME.get(c, c) for c in batch.table.column_names]
        batch = C.Batch(batch.table.rename_columns(names), batch.path, batch.first_line,
                        batch.notes)
    flags = np.zeros(batch.n, np.int64)
    reporter, rep_m49 = _country_pair(batch, "reporteriso", "reportercode", "reporter", flags)
    partner, par_m49 = _country_pair(batch, "partneriso", "partnercode", "partner", flags)
    pcol = "period" if batch.has("period") else "year"
    period, freq = C.periods(batch, pcol)
    flow = C.flows(batch, batch.first("tradeflowcode", "tradeflow") or "tradeflowcode")
    code, level = C.product_codes(batch, "commoditycode", flags)
    version = None
    if batch.has("classification"):
        cls = pc.utf8_upper(C._normalise_blank(batch.col("classification")))
        version = _lookup(cls, COMTRADE_CLASSIFICATIONS)
    _breakdown(batch, flags)
    quantity = unit = None
    if batch.has("netweightkg"):
        quantity, unit = _quantity(batch, "netweightkg", "kg", flags)
    value = C.numbers(batch, "tradevalueus", flags, what="value")
    return assemble(batch, source, flags, period=period, freq=freq, reporter=reporter,
                    reporter_m49=rep_m49, partner=partner, partner_m49=par_m49, flow=flow,
                    hs_code=code, hs_level=level, hs_version=version, value=value,
                    currency=C.constant("USD", batch.n), quantity=quantity, unit=unit)


# --- CEPII BACI --------------------------------------------------------------------------

def _baci(batch: C.Batch, opts: ReadOptions, source: str) -> pa.Table:
    """BACI ``t,i,j,k,v,q``: exporter i, importer j, HS6 k, value v in thousand USD (FOB,
    reconciled), quantity q in metric tons."""
    flags = np.zeros(batch.n, np.int64)
    reporter, rep_m49 = C.countries(batch, "i", "numeric", "reporter", flags)
    partner, par_m49 = C.countries(batch, "j", "numeric", "partner", flags)
    period, freq = C.periods(batch, "t")
    code, level = C.product_codes(batch, "k", flags)
    tag = re.search(r"HS\d\d", batch.path.name.upper())
    version = opts.hs_version or (BACI_TAGS.get(tag.group(0)) if tag else None)
    if version is None:
        batch.notes.append("HS edition unknown (no HSxx tag in the file name; pass hs_version)")
    quantity = C.numbers(batch, "q", flags, what="quantity", missing_flag="quantity_missing")
    value = C.numbers(batch, "v", flags, what="value", scale=1000.0)
    return assemble(batch, source, flags, period=period, freq=freq, reporter=reporter,
                    reporter_m49=rep_m49, partner=partner, partner_m49=par_m49,
                    flow=C.constant("export", batch.n), hs_code=code, hs_level=level,
                    hs_version=C.constant(version, batch.n), value=value,
                    currency=C.constant("USD", batch.n), quantity=quantity,
                    unit=C.constant("t", batch.n))


# --- our own tidy table ------------------------------------------------------------------

def _tidy(batch: C.Batch, opts: ReadOptions, source: str) -> pa.Table:
    names = {norm_col(f.name): f.name for f in FLOW_SCHEMA}
    table = batch.table.rename_columns([names.get(c, c) for c in batch.table.column_names])
    arrays = []
    for field in FLOW_SCHEMA:
        if field.name in table.column_names:
            arr = table.column(field.name)
            if pa.types.is_string(arr.type) and not pa.types.is_string(field.type):
                arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
            arrays.append(arr.cast(field.type))
        else:
            arrays.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(arrays, schema=FLOW_SCHEMA)


def _set(*names: str) -> frozenset[str]:
    return frozenset(names)


FORMATS: tuple[FormatSpec, ...] = (
    FormatSpec("armswatch-flows", "armswatch tidy flows (Parquet/CSV written by armswatch)",
               (_set("period"), _set("freq"), _set("reporter"), _set("partner"), _set("flow"),
                _set("hscode"), _set("hslevel"), _set("value"), _set("currency")),
               frozenset(norm_col(f.name) for f in FLOW_SCHEMA), _tidy),
    FormatSpec("eurostat-cn8-tidy", "Eurostat Comext CN8 extract, tidy (reporter_code, "
               "partner_code, product_code, code_level, period, value_eur)",
               (_set("reportercode"), _set("partnercode"), _set("productcode"), _set("period"),
                _set("valueeur")), _set("codelevel", "flow"), _eurostat_tidy),
    FormatSpec("eurostat-totals-tidy", "Eurostat Comext totals, tidy (reporter_code, "
               "partner_code, flow, period, value_eur)",
               (_set("reportercode"), _set("partnercode"), _set("flow"), _set("period"),
                _set("valueeur")),
               _set("reporterisaggregate", "reporterlabel", "partnerlabel", "source"),
               _eurostat_tidy),
    FormatSpec("eurostat-annual-labels", "Eurostat annual totals by partner label",
               (_set("reportercode"), _set("year"), _set("flow"), _set("partnerlabel"),
                _set("valueeur")), _set("labellanguage", "source"), _eurostat_annual_labels),
    FormatSpec("eurostat-relational", "Easy Comext relational view (REPORTER, PARTNER, PRODUCT, "
               "FLOW, PERIOD, VALUE_IN_EUR[OS]) and national files in the same layout",
               (_set("reporter"), _set("partner"), _set("product"), _set("flow"),
                _set("period"), _set("valueineur", "valueineuros")),
               _set("statprocedure", "quantityinkg", "supplementaryquantity"),
               _eurostat_relational),
    FormatSpec("comext-bulk", "Eurostat Comext bulk file (DECLARANT_ISO/REPORTER, PARTNER_ISO, "
               "PRODUCT_NC, FLOW, PERIOD, VALUE_IN_EUROS, QUANTITY_IN_KG)",
               (_set("declarantiso", "reporter", "reporteriso"), _set("partneriso", "partner"),
                _set("productnc"), _set("flow"), _set("period"),
                _set("valueineuros", "valueeur")),
               _set("declarant", "tradetype", "productsitc", "productcpa2002", "productcpa2008",
                    "productcpa21", "productcpa22", "productbec", "productbec5",
                    "productsection", "statregime", "statprocedure", "suppunit", "supplunit",
                    "supquantity", "quantityinkg", "quantitykg", "quantitysupplunit",
                    "valuenac"), _comext_bulk),
    FormatSpec("comtrade", "UN Comtrade+ bulk CSV / API data (camelCase or snake_case)",
               (_set("reportercode", "reporteriso"), _set("partnercode", "partneriso"),
                _set("flowcode", "flowdesc"), _set("cmdcode"), _set("primaryvalue"),
                _set("period", "refyear")),
               _set("typecode", "freqcode", "refperiodid", "refmonth", "reporterdesc",
                    "partnerdesc", "partner2code", "partner2iso", "partner2desc",
                    "classificationcode", "classificationsearchcode",
                    "isoriginalclassification", "cmddesc", "aggrlevel", "isleaf",
                    "customscode", "customsdesc", "moscode", "motcode", "motdesc",
                    "qtyunitcode", "qtyunitabbr", "qty", "isqtyestimated", "altqtyunitcode",
                    "altqtyunitabbr", "altqty", "isaltqtyestimated", "netwgt",
                    "isnetwgtestimated", "grosswgt", "isgrosswgtestimated", "cifvalue",
                    "fobvalue", "legacyestimationflag", "isreported", "isaggregate",
                    "hslevel"), _comtrade),
    FormatSpec("comtrade-legacy", "UN Comtrade legacy CSV download / legacy API JSON",
               (_set("reportercode", "rtcode"), _set("partnercode", "ptcode"),
                _set("commoditycode", "cmdcode"), _set("tradevalueus", "tradevalue"),
                _set("year", "yr", "period"), _set("tradeflowcode", "tradeflow", "rgcode")),
               _set("classification", "pfcode", "perioddesc", "aggregatelevel", "isleafcode",
                    "reporter", "reporteriso", "rt3iso", "rttitle", "partner", "partneriso",
                    "pt3iso", "pttitle", "2ndpartnercode", "2ndpartner", "2ndpartneriso",
                    "customsproccode", "customs", "modeoftransportcode", "modeoftransport",
                    "commodity", "qtyunitcode", "qtyunit", "qty", "altqtyunitcode",
                    "altqtyunit", "altqty", "netweightkg", "netweight", "grossweightkg",
                    "ciftradevalueus", "fobtradevalueus", "flag", "rgdesc", "cmddescE".lower(),
                    "tradequantity", "qtdesc", "qtcode", "estcode"), _comtrade_legacy),
    FormatSpec("baci", "CEPII BACI (t, i, j, k, v, q)",
               (_set("t"), _set("i"), _set("j"), _set("k"), _set("v"), _set("q")),
               frozenset(), _baci),
)


def detect(columns: set[str]) -> FormatSpec | None:
    """The format whose required columns are all present and that knows most columns."""
    candidates = [f for f in FORMATS if f.matches(columns)]
    if not candidates:
        return None
    return max(candidates, key=lambda f: (f.score(columns), -FORMATS.index(f)))


def expected_formats() -> str:
    return "; ".join(f"{f.name}: {f.description}" for f in FORMATS)
