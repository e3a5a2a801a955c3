"""Compare two prepared names: align their parts, then score the alignment.

The design follows what a careful analyst does when reading two names side by side:

1. **Align parts, in any order.** Each part of one name is paired with the most
   similar part of the other (greedy, best pair first). Two parts are the *same* when
   their similarity reaches :data:`PART_SAME` — exact, a small spelling difference
   (Damerau–Levenshtein relative to length; none allowed below three letters), the same
   Korean syllable in another romanisation, the same consonant skeleton (the only
   evidence a vowel-less Arabic or Hebrew romanisation gives), or an initial that
   fits. Parts written together on one side and apart on the other ("SiemensAG",
   "Abdul"/"Abd al") are joined before they are compared.
2. **Conflicts sink a match.** When *both* names keep a name part that found no
   partner (al-Tikriti vs al-Mosuli, Yong-chol vs Yong-chun, vessel 5 vs 6), the names
   most likely belong to different parties, however much else agrees.
3. **Extra parts on one side cost little for people, more for organisations.** Lists
   add patronymics, fathers' names and clan names; a query omits them. But a one-part
   match (only "Walijan") is weak, and an extra word in a company or vessel name
   ("Banco Santander *Chile*", "CRYSTALORD *SYSTEMS*") usually names another party.
4. **Titles, stop words and legal forms do not count as parts.** Legal forms are
   compared on their own: forms of different kinds (AG vs GmbH) lower the score.

The score is ``quality × coverage factor × legal factor``: the weighted mean part
similarity, times a factor for unpaired parts. It is symmetric in its two arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from armswatch.screening._korean import looks_like_syllable, syllable_key
from armswatch.screening._names import NameForm
from armswatch.screening._tokens import WEIGHT, Kind, Tok, legal_generic, skeleton

PART_SAME = 0.65  # two parts with at least this similarity are the same part
CONFLICT_FACTOR = 0.75  # multiplies coverage when both names keep unpaired parts
SINGLE_PART_FACTOR = 0.62  # a person matched on one name part only
PERSON_EXTRA_STEP = 0.05  # each extra name part of a person (lists add patronymics)
PERSON_EXTRA_FLOOR = 0.80
ORG_EXTRA_WEIGHT = 1.5  # an extra word in a company/vessel name weighs this much
ORG_EXTRA_NUMBER = 3.0  # an extra number ("Victory" vs "Victory 3") weighs this much
STRONG_PAIR = 0.90  # pairs this similar are taken before joined parts are tried
LEGAL_MISMATCH_FACTOR = 0.85  # AG vs GmbH, LLC vs JSC
SKELETON_LATIN = 0.80  # two Latin parts with the same consonant skeleton
SKELETON_ABJAD = 0.95  # a vowel-less romanisation whose skeleton matches
KOREAN_SAME = 0.95  # the same Korean syllable in another romanisation
INITIAL_SAME = 0.90  # "J." and "Joachim"
ACRONYM_SAME = 0.85  # "PLA" and "People's Liberation Army"


@dataclass(frozen=True, slots=True)
class PartMatch:
    """Two aligned parts: the query part(s), the listed part(s), their similarity."""

    query: str
    result: str
    score: float
    how: str  # exact, spelling, korean, skeleton, initial, joined, particle, number

    def __str__(self) -> str:
        sign = "=" if self.how == "exact" else "≈"
        return f"{self.query}{sign}{self.result} ({self.how} {self.score:.2f})"


@dataclass(frozen=True, slots=True)
class NameComparison:
    """The score of one pair of names and how it came about."""

    score: float
    query: NameForm
    result: NameForm
    pairs: tuple[PartMatch, ...] = ()
    extra_query: tuple[str, ...] = ()
    extra_result: tuple[str, ...] = ()
    conflict: bool = False
    notes: tuple[str, ...] = field(default=())

    def explain(self) -> str:
        bits = [", ".join(str(p) for p in self.pairs) or "no part in common"]
        if self.conflict and self.extra_query and self.extra_result:
            bits.append(
                "conflicting parts: "
                + " / ".join(self.extra_query)
                + " vs "
                + " / ".join(self.extra_result)
            )
        else:
            if self.extra_query:
                bits.append("only in query: " + " ".join(self.extra_query))
            if self.extra_result:
                bits.append("only in listed name: " + " ".join(self.extra_result))
        bits.extend(self.notes)
        return "; ".join(bits)


@lru_cache(maxsize=500_000)
def part_similarity(a: Tok, b: Tok, korean: bool) -> tuple[float, str]:
    """Similarity of two name parts in [0, 1] and how it was found."""
    ka, kb = a.kind, b.kind
    if ka is Kind.NUM or kb is Kind.NUM:
        return (1.0, "number") if ka is kb and a.text == b.text else (0.0, "")
    if ka is Kind.PARTICLE or kb is Kind.PARTICLE:
        return (1.0, "particle") if ka is kb and a.text == b.text else (0.0, "")
    if a.glyph and b.glyph and a.glyph[:3] == b.glyph[:3]:
        # two syllables written in the same script (Han, Hangul): the characters decide
        return (1.0, "exact") if a.glyph == b.glyph else (0.0, "")
    if a.text == b.text:
        return 1.0, "exact"
    if ka is Kind.INITIAL or kb is Kind.INITIAL:
        if ka is kb:
            return 0.0, ""
        initial, full = (a, b) if ka is Kind.INITIAL else (b, a)
        return (INITIAL_SAME, "initial") if full.text[0] == initial.text else (0.0, "")
    best, how = 0.0, ""
    if korean and looks_like_syllable(a.text) and looks_like_syllable(b.text):
        # Korean syllables: the same syllable in another romanisation, or another syllable
        if syllable_key(a.text) == syllable_key(b.text):
            return KOREAN_SAME, "korean"
        if max(len(a.text), len(b.text)) <= 5:
            return 0.0, ""
    la, lb = len(a.text), len(b.text)
    longest = max(la, lb)
    if min(la, lb) >= 3:
        dist = OSA.distance(a.text, b.text)
        if not (longest <= 4 and dist >= 2):
            sim = 1.0 - dist / longest
            if sim > best:
                best, how = sim, "spelling"
    sa, sb = a.skel, b.skel
    if sa and sb:
        abjad = a.abjad or b.abjad
        if abjad or (len(sa) >= 3 and len(sb) >= 3):
            factor = SKELETON_ABJAD if abjad else SKELETON_LATIN
            sim = factor * (1.0 - Levenshtein.distance(sa, sb) / max(len(sa), len(sb)))
            if sim > best:
                best, how = sim, "skeleton"
    return best, how


@lru_cache(maxsize=100_000)
def _joined_tok(text: str, abjad: bool) -> Tok:
    return Tok(text, Kind.NAME, skeleton(text), abjad)


def _joined(run: list[Tok]) -> Tok:
    return _joined_tok("".join(t.text for t in run), any(t.abjad for t in run))


def _pair_weight(a: Tok, b: Tok) -> float:
    if a.kind is Kind.INITIAL or b.kind is Kind.INITIAL:
        return WEIGHT[Kind.INITIAL]
    return max(a.weight, b.weight)


def _join_pass(
    side: list[Tok],
    side_used: list[bool],
    other: list[Tok],
    other_used: list[bool],
    korean: bool,
    side_is_query: bool,
    pairs: list[tuple[float, float, PartMatch]],
) -> None:
    """Pair a lone part of ``other`` with 2-3 adjacent unpaired parts of ``side``."""
    n = len(side)
    lens = [len(t.text) for t in side]
    free = [
        not used and t.kind not in (Kind.NUM, Kind.INITIAL)
        for t, used in zip(side, side_used, strict=True)
    ]
    for j, target in enumerate(other):
        if other_used[j] or target.kind not in (Kind.NAME, Kind.GENERIC):
            continue
        size_t = len(target.text)
        if (
            2 <= size_t <= 5
            and target.text.isalpha()
            and side_used.count(False) >= size_t
            and _acronym(side, side_used, target, pairs, side_is_query)
        ):
            other_used[j] = True
            free = [f and not u for f, u in zip(free, side_used, strict=True)]
            continue
        slack = max(2, size_t // 3)
        best: tuple[float, int, int] | None = None
        for start in range(n - 1):
            if not (free[start] and free[start + 1]):
                continue
            length = lens[start] + lens[start + 1]
            for size in (2, 3):
                if size == 3:
                    if start + 2 >= n or not free[start + 2]:
                        break
                    length += lens[start + 2]
                if abs(length - size_t) > slack:
                    continue  # joined parts cannot be this part: lengths differ too much
                sim, _ = part_similarity(_joined(side[start : start + size]), target, korean)
                if sim >= PART_SAME and (best is None or sim > best[0]):
                    best = (sim, start, size)
        if best is None:
            continue
        sim, start, size = best
        for k in range(start, start + size):
            side_used[k] = True
            free[k] = False
        other_used[j] = True
        joined = " ".join(t.text for t in side[start : start + size])
        q, r = (joined, target.text) if side_is_query else (target.text, joined)
        pairs.append((1.0, sim, PartMatch(q, r, sim, "joined")))


def _acronym(
    side: list[Tok],
    side_used: list[bool],
    target: Tok,
    pairs: list[tuple[float, float, PartMatch]],
    side_is_query: bool,
) -> bool:
    """``target`` spells the initials of adjacent unpaired parts ("PLA", "JC")."""
    size = len(target.text)
    for start in range(len(side) - size + 1):
        idx = range(start, start + size)
        if any(side_used[k] or side[k].kind not in (Kind.NAME, Kind.GENERIC) for k in idx):
            continue
        if "".join(side[k].text[0] for k in idx) != target.text:
            continue
        for k in idx:
            side_used[k] = True
        run = " ".join(side[k].text for k in idx)
        q, r = (run, target.text) if side_is_query else (target.text, run)
        pairs.append((1.0, ACRONYM_SAME, PartMatch(q, r, ACRONYM_SAME, "acronym")))
        return True
    return False


def _part_evidence(sim: float) -> float:
    """Map a part similarity in [PART_SAME, 1] to evidence in [0.5, 1].

    A pair just at the cut-off is a coin toss (0.5), an exact pair is certain (1.0).
    """
    return 0.5 + 0.5 * (sim - PART_SAME) / (1.0 - PART_SAME)


def compare_names(query: NameForm, result: NameForm) -> NameComparison:
    """Score two name forms; symmetric in ``query`` and ``result``."""
    qp, rp = list(query.parts), list(result.parts)
    if not qp or not rp:
        return NameComparison(0.0, query, result)
    korean = query.korean or result.korean
    cands: list[tuple[float, float, float, int, int, str]] = []
    nq, nr = len(qp), len(rp)
    for i, a in enumerate(qp):
        for j, b in enumerate(rp):
            sim, how = part_similarity(a, b, korean)
            if sim >= PART_SAME:
                # tie-break on weight, then on similar position (keeps repeats in order)
                drift = abs(i / nq - j / nr)
                cands.append((sim, _pair_weight(a, b), -drift, i, j, how))
    cands.sort(reverse=True)
    q_used, r_used = [False] * nq, [False] * nr
    pairs: list[tuple[float, float, PartMatch]] = []
    links: list[tuple[int, int]] = []
    # strong pairs first, then parts written together on one side, then weaker pairs
    for floor in (STRONG_PAIR, PART_SAME):
        for sim, weight, _, i, j, how in cands:
            if sim < floor or q_used[i] or r_used[j]:
                continue
            q_used[i] = r_used[j] = True
            links.append((i, j))
            pairs.append((weight, sim, PartMatch(qp[i].text, rp[j].text, sim, how)))
        if floor == STRONG_PAIR and not all(q_used) and not all(r_used):
            _join_pass(qp, q_used, rp, r_used, korean, True, pairs)
            _join_pass(rp, r_used, qp, q_used, korean, False, pairs)
    if not pairs:
        return NameComparison(0.0, query, result)

    matched_w = sum(w for w, _, _ in pairs)
    if matched_w <= 0.0:
        return NameComparison(0.0, query, result, tuple(p for _, _, p in pairs))
    # quality: the weighted mean evidence, held back by the weakest pair
    evidence = [(w, _part_evidence(s)) for w, s, _ in pairs]
    mean = sum(w * e for w, e in evidence) / matched_w
    weakest = min(e for w, e in evidence if w > 0.0)
    quality = 0.5 * mean + 0.5 * weakest
    extra_q = [t for t, used in zip(qp, q_used, strict=True) if not used]
    extra_r = [t for t, used in zip(rp, r_used, strict=True) if not used]
    notes: list[str] = []
    factor = _coverage_factor(query, result, qp, rp, q_used, r_used, extra_q, extra_r, matched_w)
    org_like = _is_org_like(query, result)
    conflict = _substantive(extra_q, org_like) and _substantive(extra_r, org_like)
    if (
        "," not in query.original
        and "," not in result.original
        and _lineage_reversed(qp, rp, links)
    ):
        notes.append("patronymic order differs (X bin Y vs Y bin X)")
        conflict = True
        factor *= CONFLICT_FACTOR
    if any(t.kind is Kind.NUM for t in extra_q) and any(t.kind is Kind.NUM for t in extra_r):
        notes.append("numbers differ")
    legal = _legal_factor(query, result)
    if legal < 1.0:
        notes.append(f"legal forms differ: {' '.join(query.legal)} vs {' '.join(result.legal)}")
    score = max(0.0, min(1.0, quality * factor * legal))
    return NameComparison(
        score,
        query,
        result,
        tuple(p for _, _, p in pairs),
        tuple(t.text for t in extra_q),
        tuple(t.text for t in extra_r),
        conflict,
        tuple(notes),
    )


def _substantive(extra: list[Tok], org_like: bool = False) -> bool:
    kinds = (Kind.NAME, Kind.NUM, Kind.INITIAL, Kind.GENERIC) if org_like else _NAME_KINDS
    return any(t.kind in kinds for t in extra)


_NAME_KINDS = (Kind.NAME, Kind.NUM, Kind.INITIAL)


def _lineage_reversed(qp: list[Tok], rp: list[Tok], links: list[tuple[int, int]]) -> bool:
    """ "Salman bin Muhammad" vs "Muhammad bin Salman": the son and father swap sides."""
    qb = [i for i, t in enumerate(qp) if t.kind is Kind.PARTICLE and t.text in ("bin", "bint")]
    rb = [j for j, t in enumerate(rp) if t.kind is Kind.PARTICLE and t.text in ("bin", "bint")]
    if not qb or not rb:
        return False
    qf, rf = qb[0], rb[0]
    for i, j in links:
        if qp[i].kind is Kind.PARTICLE:
            continue
        if (i < qf) != (j < rf):
            return True
    return False


def _is_org_like(query: NameForm, result: NameForm) -> bool:
    fams = {query.family, result.family}
    if "person" in fams:
        return False
    if fams & {"org", "vessel"}:
        return True
    # "any" on both sides: org-like when either name carries a legal form or org word
    return any(t.kind in (Kind.LEGAL, Kind.GENERIC) for t in (*query.tokens, *result.tokens))


def _coverage_factor(
    query: NameForm,
    result: NameForm,
    qp: list[Tok],
    rp: list[Tok],
    q_used: list[bool],
    r_used: list[bool],
    extra_q: list[Tok],
    extra_r: list[Tok],
    matched_w: float,
) -> float:
    wq = sum(t.weight for t in extra_q)
    wr = sum(t.weight for t in extra_r)
    if wq <= 0.0 and wr <= 0.0:
        return 1.0
    org_like = _is_org_like(query, result)
    if _substantive(extra_q, org_like) and _substantive(extra_r, org_like):
        return CONFLICT_FACTOR * matched_w / (matched_w + wq + wr)
    if org_like:
        extra = (*extra_q, *extra_r)
        names = sum(t.weight for t in extra if t.kind is Kind.NAME)
        numbers = sum(t.weight for t in extra if t.kind is Kind.NUM)
        weak = wq + wr - names - numbers
        penalty = ORG_EXTRA_WEIGHT * names + ORG_EXTRA_NUMBER * numbers + 0.5 * weak
        return matched_w / (matched_w + penalty)
    # a person: how much of the shorter name did we pair?
    short_parts, short_used = (rp, r_used) if _substantive(extra_q) else (qp, q_used)
    paired = sum(
        1.0 if t.kind is Kind.NAME else 0.5 if t.kind is Kind.INITIAL else 0.0
        for t, used in zip(short_parts, short_used, strict=True)
        if used
    )
    if paired < 1.5 and _substantive(extra_q or extra_r):
        return SINGLE_PART_FACTOR
    return max(PERSON_EXTRA_FLOOR, 1.0 - PERSON_EXTRA_STEP * (wq + wr))


def _legal_factor(query: NameForm, result: NameForm) -> float:
    ql, rl = query.legal, result.legal
    if not ql or not rl:
        return 1.0
    if set(ql) & set(rl):
        return 1.0
    if {legal_generic(f) for f in ql} & {legal_generic(f) for f in rl}:
        return 1.0
    return LEGAL_MISMATCH_FACTOR


def compare_name_sets(
    query: tuple[NameForm, ...], result: tuple[NameForm, ...]
) -> NameComparison | None:
    """The best comparison over all readings of two names."""
    best: NameComparison | None = None
    for q in query:
        for r in result:
            cmp = compare_names(q, r)
            if best is None or cmp.score > best.score:
                best = cmp
    return best
