"""AIS ingest: NMEA framing, multi-part reassembly, bit-layout spec, decoder, encoder.

Layouts are data (:mod:`armswatch.ais._spec`); one spec drives the compiled decoder,
the reference decoder, the encoder (:mod:`armswatch.ais.encode`) and the docs.

>>> from armswatch.ais import decode_lines
>>> r = decode_lines(["!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C"])
>>> r.positions.column("mmsi").to_pylist()
[366053209]
"""

from armswatch.ais._decode import DecodeOptions
from armswatch.ais._io import decode_file, decode_lines, iter_decode
from armswatch.ais._reference import decode_payload
from armswatch.ais._result import (
    AIS_OTHER_SCHEMA,
    AIS_POSITIONS_SCHEMA,
    AIS_STATICS_SCHEMA,
    DecodeResult,
    IngestReport,
)
from armswatch.ais._spec import LAYOUTS, Field, Kind, Layout, layout_for
from armswatch.ais.encode import AisEncodeError, encode_payload, to_sentences, with_tag_block

__all__ = [
    "AIS_OTHER_SCHEMA",
    "AIS_POSITIONS_SCHEMA",
    "AIS_STATICS_SCHEMA",
    "LAYOUTS",
    "AisEncodeError",
    "DecodeOptions",
    "DecodeResult",
    "Field",
    "IngestReport",
    "Kind",
    "Layout",
    "decode_file",
    "decode_lines",
    "decode_payload",
    "encode_payload",
    "iter_decode",
    "layout_for",
    "to_sentences",
    "with_tag_block",
]
