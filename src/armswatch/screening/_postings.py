"""The inner loop of candidate retrieval, compiled (numba).

:meth:`NameIndex.candidates` chooses, in Python, which keys of each query part to follow
and how much a hit on each weighs; this kernel walks their postings (one flat array of
name positions, ``offsets`` per key) and adds up, per listed name, the weight of the best
key hit by each query part. It does what a loop over dicts did before, in the same order
and with the same floating-point operations, so retrieval gives the same candidates in
the same order (``tests/screening/test_speed_identity.py`` pins that):

* per part, a name's weight is the largest weight of the part's keys it carries;
* per reading (form), a name's share is ``min(1, sum of its part weights / total)``;
* over readings, a name keeps its largest share;
* names are returned in the order they were first hit, which breaks ties in the
  (stable) ranking by share.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Kernel = Callable[..., tuple[IntArray, FloatArray]]


@lru_cache(maxsize=1)
def compiled() -> Kernel:
    """The compiled kernel (numba is imported on first use: importing stays cheap)."""
    import numba

    kernel: Kernel = numba.njit(cache=True)(gather_shares)
    return kernel


def gather_shares(
    data: npt.NDArray[np.int32],
    offsets: IntArray,
    n_names: int,
    limit: int,
    common_cap: int,
    form_tok_end: IntArray,
    tok_key_end: IntArray,
    key_ids: IntArray,
    key_weights: FloatArray,
    form_totals: FloatArray,
    form_common_key: IntArray,
    form_common_weight: FloatArray,
) -> tuple[IntArray, FloatArray]:  # pragma: no cover - compiled
    """(names in first-hit order, their shares) for one query.

    Forms are given as runs of parts (``form_tok_end``), parts as runs of followed keys
    (``tok_key_end``). ``form_common_key`` is a very common key used only when a form
    found fewer than ``limit`` names (-1: none), at most its first ``common_cap`` names.
    """
    found = np.zeros(n_names)
    order = np.empty(n_names, np.int64)
    n_found = 0
    scores = np.zeros(n_names)
    best = np.zeros(n_names)
    touched = np.empty(n_names, np.int64)
    part_hits = np.empty(n_names, np.int64)
    t0 = 0
    k0 = 0
    for f in range(form_tok_end.shape[0]):
        n_touched = 0
        for t in range(t0, form_tok_end[f]):
            n_hits = 0
            for k in range(k0, tok_key_end[t]):
                w = key_weights[k]
                kid = key_ids[k]
                for i in range(offsets[kid], offsets[kid + 1]):
                    pos = data[i]
                    if best[pos] < w:
                        if best[pos] == 0.0:
                            part_hits[n_hits] = pos
                            n_hits += 1
                        best[pos] = w
            k0 = tok_key_end[t]
            for i in range(n_hits):
                pos = part_hits[i]
                if scores[pos] == 0.0:
                    touched[n_touched] = pos
                    n_touched += 1
                scores[pos] += best[pos]
                best[pos] = 0.0
        t0 = form_tok_end[f]
        ck = form_common_key[f]
        if ck >= 0 and n_touched < limit:
            w = form_common_weight[f]
            end = min(offsets[ck + 1], offsets[ck] + common_cap)
            for i in range(offsets[ck], end):
                pos = data[i]
                if scores[pos] == 0.0:
                    touched[n_touched] = pos
                    n_touched += 1
                scores[pos] += w
        total = form_totals[f]
        for i in range(n_touched):
            pos = touched[i]
            if total > 0.0:
                share = min(1.0, scores[pos] / total)
                if share > found[pos]:
                    if found[pos] == 0.0:
                        order[n_found] = pos
                        n_found += 1
                    found[pos] = share
            scores[pos] = 0.0
    out = order[:n_found].copy()
    shares = np.empty(n_found)
    for i in range(n_found):
        shares[i] = found[out[i]]
    return out, shares
