"""AIS ingest: NMEA framing, multi-part reassembly, bit-layout spec, decoder, encoder.

Layouts are data (:mod:`armswatch.ais._spec`); one spec drives the compiled decoder,
the reference decoder, the encoder (:mod:`armswatch.ais.encode`) and the docs.
"""

from armswatch.ais._reference import decode_payload
from armswatch.ais._spec import LAYOUTS, Field, Kind, Layout, layout_for
from armswatch.ais.encode import AisEncodeError, encode_payload, to_sentences, with_tag_block

__all__ = [
    "LAYOUTS",
    "AisEncodeError",
    "Field",
    "Kind",
    "Layout",
    "decode_payload",
    "encode_payload",
    "layout_for",
    "to_sentences",
    "with_tag_block",
]
