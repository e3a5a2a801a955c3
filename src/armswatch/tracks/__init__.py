"""Tracks: per-MMSI segmentation and cleaning of AIS positions."""

from armswatch.tracks._schema import TRACK_COLUMNS, TRACK_SCHEMA
from armswatch.tracks._segment import SegmentParams, segment_table

__all__ = ["TRACK_COLUMNS", "TRACK_SCHEMA", "SegmentParams", "segment_table"]
