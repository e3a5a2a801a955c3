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

from armswatch.screening._kontsevich import CYRILLIC_GLYPH, reading_keys, readings
from armswatch.screening._korean import looks_like_syllable, syllable_key
from armswatch.screening._names import NameForm
from armswatch.screening._phonetic import is_patronymic, name_groups, phonetic_key, stems
from armswatch.screening._rules import Rules
from armswatch.screening._tokens import WEIGHT, Kind, Tok, legal_generic, skeleton

PART_SAME = 0.65  # two parts with at least this similarity are the same part
CONFLICT_FACTOR = 0.75  # multiplies coverage when both names keep unpaired parts
LINEAGE_FACTOR = 0.60  # "X bin Y" against "Y bin X": son and father swapped
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
# A skeleton of 1, 2, 3, 4+ consonants is that reliable (vowel-less scripts).
_SKELETON_LENGTH = {0: 0.0, 1: 0.8, 2: 0.8, 3: 0.92, 4: 1.0}
ACRONYM_SAME = 0.85  # "PLA" and "People's Liberation Army"
PATRONYMIC_WEIGHT = 0.5  # rules @2: an extra "Vladimirovich" weighs half a name part
TITLED_SURNAME = 0.85  # rules @2: "President Putin" names the listed Putin
NUMBER_DIFFERS = 0.80  # rules @2: companies/funds with other numbers (Fund VII/VIII)
# rules @2
KOREAN_LOOSE = 0.85  # Sung/Seong: u written for ㅓ in personal spellings
NICKNAME_SAME = 0.90  # Bill/William, Bibi/Benjamin: a nickname of the full name
COGNATE_SAME = 0.80  # Juan/John, Pyotr/Peter: one given name in two languages
PHONETIC_SAME = 0.93  # Vlagyimir/Vladimir, Poetin/Putin: one spelling per sound
ENDING_SAME = 0.88  # Putinas/Putin, Vladimirs/Vladimir: a grammatical ending
PHONETIC_SPELLING = 0.95  # spelling similarity of phonetic keys counts a little less
_LONGEST_ENDING = 3  # parts whose lengths differ more cannot differ by an ending alone


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
    components: tuple[tuple[str, float], ...] = ()  # factors below 1.0 that made the score

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
        if self.components:
            bits.append(
                "factors " + ", ".join(f"{name} {value:.2f}" for name, value in self.components)
            )
        return "; ".join(bits)


@lru_cache(maxsize=500_000)
def part_similarity(a: Tok, b: Tok, korean: bool, rules: Rules) -> tuple[float, str]:
    """Similarity of two name parts in [0, 1] and how it was found."""
    if (
        not korean
        and a.kind is Kind.NAME
        and b.kind is Kind.NAME
        and not (a.glyph or b.glyph or a.abjad or b.abjad)
    ):
        # the common case, two names in Latin letters: what the general path below does
        # for them, without the checks that cannot apply
        sim, how = _latin_similarity(a, b)
        return (sim, how) if sim >= 1.0 else _spelling_rules(a, b, sim, how, rules)
    sim, how = _base_similarity.__wrapped__(a, b, korean)  # this result is cached here
    if sim >= 1.0 or a.kind is not b.kind or a.kind not in (Kind.NAME, Kind.GENERIC):
        return sim, how
    if rules.cyrillic_korean and korean:
        found_cyr = _cyrillic_korean(a, b)
        if found_cyr is not None:
            return found_cyr
    if a.glyph and b.glyph:
        return sim, how  # syllables written in Han or Hangul: the characters decided
    if korean and rules.korean_vowels:
        if syllable_key(a.text) == syllable_key(b.text):
            return KOREAN_SAME, "korean"  # Park/Pak: the surname table's spelling
        if looks_like_syllable(a.text) and looks_like_syllable(b.text):
            if sim < KOREAN_LOOSE and _korean_loose(a.text, b.text):
                return KOREAN_LOOSE, "korean"
            return sim, how
    if a.glyph or b.glyph:
        return sim, how
    if rules.script_phonology and a.abjad != b.abjad and sim < SKELETON_ABJAD:
        found = _abjad_variant(a, b)
        if found > sim:
            sim, how = found, "skeleton"
    return _spelling_rules(a, b, sim, how, rules)


def _spelling(a: str, b: str) -> tuple[float, str]:
    """Edit similarity of two spellings of at least 3 letters (OSA distance over the longer
    length); words of up to 4 letters two edits apart are different words."""
    la, lb = len(a), len(b)
    longest = max(la, lb)
    if min(la, lb) >= 3:
        dist = OSA.distance(a, b)
        if not (longest <= 4 and dist >= 2):
            sim = 1.0 - dist / longest
            if sim > 0.0:
                return sim, "spelling"
    return 0.0, ""


def _latin_similarity(a: Tok, b: Tok) -> tuple[float, str]:
    """:func:`_base_similarity` of two NAME parts in Latin letters (no glyph, not abjad,
    not Korean): exact, spelling, or the skeleton when spelt at least half alike."""
    if a.text == b.text:
        return 1.0, "exact"
    best, how = _spelling(a.text, b.text)
    sa, sb = a.skel, b.skel
    if sa and sb and len(sa) >= 3 and len(sb) >= 3 and best >= 0.5:
        dist = Levenshtein.distance(sa, sb)
        sim = SKELETON_LATIN * (1.0 - dist / max(len(sa), len(sb)))
        if sim > best:
            best, how = sim, "skeleton"
    return best, how


def _spelling_rules(a: Tok, b: Tok, sim: float, how: str, rules: Rules) -> tuple[float, str]:
    """Nicknames, cognates, phonetic keys and endings (rules @2) on top of ``sim``."""
    if rules.nicknames and sim < NICKNAME_SAME and a.kind is Kind.NAME:
        groups = name_groups(a.text)
        common = groups & name_groups(b.text) if groups else groups
        if common and any(g.startswith("H:") for g in common):
            sim, how = NICKNAME_SAME, "nickname"
        elif common and sim < COGNATE_SAME:
            sim, how = COGNATE_SAME, "cognate"
    if rules.phonetic and sim < PHONETIC_SAME:
        ka, kb = phonetic_key(a.text), phonetic_key(b.text)
        if ka == kb:
            return PHONETIC_SAME, "phonetic"
        if rules.endings and abs(len(a.text) - len(b.text)) <= _LONGEST_ENDING:
            sa, sb = stems(a.text), stems(b.text)
            if ka in sb or kb in sa or not set(sa).isdisjoint(sb):
                return ENDING_SAME, "ending"
        longest = max(len(ka), len(kb))
        # similarities below PART_SAME are never used: stop counting edits there (the
        # distance is at least the difference in length)
        cutoff = int(longest * (1.0 - PART_SAME / PHONETIC_SPELLING)) + 1
        if min(len(ka), len(kb)) >= 3 and abs(len(ka) - len(kb)) <= cutoff:
            dist = OSA.distance(ka, kb, score_cutoff=cutoff)
            found = PHONETIC_SPELLING * (1.0 - dist / longest)
            if found > sim and not (longest <= 4 and dist >= 2):
                sim, how = found, "phonetic"
    return sim, how


def _cyrillic_korean(a: Tok, b: Tok) -> tuple[float, str] | None:
    """A Korean syllable written in Russian Cyrillic against one in Latin letters, or
    None when neither part is one ("Чен" may write jong, chong, chon, ...)."""
    if a.glyph.startswith(CYRILLIC_GLYPH):
        cyr, lat = a, b
    elif b.glyph.startswith(CYRILLIC_GLYPH):
        cyr, lat = b, a
    else:
        return None
    if lat.glyph[:7] not in ("", "Hangul:") or not looks_like_syllable(lat.text):
        return None  # Latin letters, or Hangul (romanised): not Han (read as pinyin)
    word = cyr.glyph[len(CYRILLIC_GLYPH) :]
    if syllable_key(lat.text) in reading_keys(word):
        return KOREAN_SAME, "korean"
    if any(_korean_loose(r, lat.text) for r in readings(word)):
        return KOREAN_LOOSE, "korean"
    return 0.0, ""


def _abjad_variant(a: Tok, b: Tok) -> float:
    """A vowel-less romanisation whose "w" or "b" is the consonant v.

    ICU writes ו/و as "w", which the skeleton drops as a vowel ("dwd" would lose a
    consonant of David), and Hebrew ב as "b" where it is often v ("Avigdor").
    """
    abj, lat = (a, b) if a.abjad else (b, a)
    text = abj.text
    variants = {
        abj.skel,
        skeleton(text.replace("w", "v")),
        skeleton(text.replace("b", "v")),
        skeleton(text.replace("w", "v").replace("b", "v")),
    }
    best = 0.0
    for skel in variants:
        if not skel or not lat.skel:
            continue
        dist = Levenshtein.distance(skel, lat.skel)
        length = min(len(skel), len(lat.skel), 4)
        sim = (
            SKELETON_ABJAD
            * (1.0 - dist / max(len(skel), len(lat.skel)))
            * _SKELETON_LENGTH[length]
        )
        best = max(best, sim)
    return best


def _korean_loose(a: str, b: str) -> bool:
    """The same syllable when ``u`` may stand for ㅓ (Sung/Seong, Jung/Jeong, Hyun/Hyeon)."""
    ka, kb = syllable_key(a), syllable_key(b)
    return ka.replace("u", "o") == kb.replace("u", "o") and ka[-1:] == kb[-1:] != ""


@lru_cache(maxsize=500_000)
def _base_similarity(a: Tok, b: Tok, korean: bool) -> tuple[float, str]:
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
    if (a.glyph or b.glyph) and max(len(a.text), len(b.text)) <= 6 and not korean:
        # a Han syllable against a Latin one: pinyin is exact, another syllable is
        # another character (Cheng is not Chen)
        return 0.0, ""
    if korean and looks_like_syllable(a.text) and looks_like_syllable(b.text):
        # Korean syllables: the same syllable in another romanisation, or another syllable
        if syllable_key(a.text) == syllable_key(b.text):
            return KOREAN_SAME, "korean"
        if max(len(a.text), len(b.text)) <= 5:
            return 0.0, ""
    best, how = _spelling(a.text, b.text)
    sa, sb = a.skel, b.skel
    if sa and sb:
        dist = Levenshtein.distance(sa, sb)
        longest_skel = max(len(sa), len(sb))
        if a.abjad and b.abjad:
            pass  # both in the same vowel-less script: their spellings say it all
        elif a.abjad or b.abjad:
            # a vowel-less romanisation: the skeleton is all there is, but a short one
            # ("hsn", "ms") fits many names, so it counts for less
            sim = (
                SKELETON_ABJAD
                * (1.0 - dist / longest_skel)
                * _SKELETON_LENGTH[min(len(sa), len(sb), 4)]
            )
            if sim > best:
                best, how = sim, "skeleton"
        elif len(sa) >= 3 and len(sb) >= 3 and best >= 0.5:
            # two Latin spellings: the skeleton rescues transliteration variants
            # (Husayn/Hussein) but only of parts that are spelt alike to begin with
            sim = SKELETON_LATIN * (1.0 - dist / longest_skel)
            if sim > best:
                best, how = sim, "skeleton"
    return best, how


@lru_cache(maxsize=100_000)
def _joined_tok(text: str, abjad: bool) -> Tok:
    return Tok(text, Kind.NAME, skeleton(text), abjad)


def _joined(run: list[Tok]) -> Tok:
    return _joined_tok("".join([t.text for t in run]), any(t.abjad for t in run))


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
    rules: Rules,
    side_family: str = "any",
    other_family: str = "any",
) -> None:
    """Pair a lone part of ``other`` with 2-3 adjacent unpaired parts of ``side``."""
    if len(side) < 2:
        return  # no two parts to join (an acronym spells two or more)
    windows = _windows(side, side_used)
    if not windows:
        return  # joins and acronyms both need two adjacent free parts
    acronyms = not (rules.acronyms_for_orgs and "person" in (side_family, other_family))
    for j, target in enumerate(other):
        if other_used[j] or target.kind not in (Kind.NAME, Kind.GENERIC):
            continue
        size_t = len(target.text)
        if (
            2 <= size_t <= 5
            and acronyms
            and target.text.isalpha()
            and side_used.count(False) >= size_t
            and _acronym(side, side_used, target, pairs, side_is_query)
        ):
            other_used[j] = True
            windows = _windows(side, side_used)
            if not windows:
                return
            continue
        slack = max(2, size_t // 3)
        best: tuple[float, int, int] | None = None
        # Latin spellings on both sides: a join can reach PART_SAME only if spelt at
        # least half alike (see _spelt_half_alike); the similarity is not computed else
        latin = not korean and not target.abjad
        for start, size, length in windows:
            if abs(length - size_t) > slack:
                continue  # joined parts cannot be this part: lengths differ too much
            run = side[start : start + size]
            if latin and not _spelt_half_alike(run, target.text, length, size_t):
                continue
            # joined parts must be spelt alike: phonetic keys of a join are too loose
            sim, _ = _base_similarity(_joined(run), target, korean)
            if run[0].glyph and sim < STRONG_PAIR:
                continue  # syllables join into a name only as written (Jin+ping)
            if sim >= PART_SAME and (best is None or sim > best[0]):
                best = (sim, start, size)
        if best is None:
            continue
        sim, start, size = best
        for k in range(start, start + size):
            side_used[k] = True
        other_used[j] = True
        joined = " ".join(t.text for t in side[start : start + size])
        q, r = (joined, target.text) if side_is_query else (target.text, joined)
        pairs.append((1.0, sim, PartMatch(q, r, sim, "joined")))
        windows = _windows(side, side_used)
        if not windows:
            return


_NOT_JOINED = (Kind.NUM, Kind.INITIAL)


def _spelt_half_alike(run: list[Tok], target: str, length: int, size_t: int) -> bool:
    """False only when ``_base_similarity(_joined(run), target)`` is below 0.5.

    For parts not written in a vowel-less script, outside Korean names, a similarity of
    PART_SAME or more needs equal texts, a spelling similarity of at least 0.65, or the
    skeleton, which is tried only on a spelling similarity of at least 0.5: all need
    ``1 - distance / longest >= 0.5``. (Abjad parts are not decided here.)
    """
    texts = []
    for t in run:
        if t.abjad:
            return True
        texts.append(t.text)
    joined = "".join(texts)
    if joined == target:
        return True
    if min(length, size_t) < 3:
        return False
    longest = max(length, size_t)
    return 2 * OSA.distance(joined, target, score_cutoff=longest // 2) <= longest


def _windows(side: list[Tok], side_used: list[bool]) -> list[tuple[int, int, int]]:
    """(start, size, joined length) of the runs of 2 and 3 adjacent free parts (unpaired,
    not numbers or initials), in order of start, then size."""
    free = [
        not used and t.kind not in _NOT_JOINED for t, used in zip(side, side_used, strict=True)
    ]
    out: list[tuple[int, int, int]] = []
    n = len(side)
    for start in range(n - 1):
        if not (free[start] and free[start + 1]):
            continue
        length = len(side[start].text) + len(side[start + 1].text)
        out.append((start, 2, length))
        if start + 2 < n and free[start + 2]:
            out.append((start, 3, length + len(side[start + 2].text)))
    return out


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


def compare_names(query: NameForm, result: NameForm, rules: Rules) -> NameComparison:
    """Score two name forms; symmetric in ``query`` and ``result``, except that rules @2
    read a *query* of a title and one name as a reference by office ("President
    Putin"), which a listed alias of that shape ("Don Tomas") is not."""
    qp, rp = list(query.parts), list(result.parts)
    if not qp or not rp:
        return NameComparison(0.0, query, result)
    korean = query.korean or result.korean
    families = (query.family, result.family)
    cands: list[tuple[float, float, float, int, int, str]] = []
    nq, nr = len(qp), len(rp)
    similarity = part_similarity
    for i, a in enumerate(qp):
        for j, b in enumerate(rp):
            sim, how = similarity(a, b, korean, rules)
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
            _join_pass(qp, q_used, rp, r_used, korean, True, pairs, rules, *families)
            _join_pass(rp, r_used, qp, q_used, korean, False, pairs, rules, *families[::-1])
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
    org_like = _is_org_like(query, result)
    numbers = 1.0
    cov_q, cov_r = extra_q, extra_r
    if rules.numbers_by_schema and org_like and not _is_vessel(query, result):
        numbers = _number_factor(extra_q, extra_r)
        if numbers < 1.0:  # weighed on their own, not again as extra parts
            cov_q = [t for t in extra_q if t.kind is not Kind.NUM]
            cov_r = [t for t in extra_r if t.kind is not Kind.NUM]
    coverage, coverage_kind = _coverage_factor(
        query, result, qp, rp, q_used, r_used, cov_q, cov_r, matched_w, rules, pairs
    )
    conflict = _conflict(extra_q, extra_r, org_like, query, result, rules)
    lineage = 1.0
    if (
        "," not in query.original
        and "," not in result.original
        and _lineage_reversed(qp, rp, links, rules.lineage_needs_context)
    ):
        notes.append("patronymic order differs (X bin Y vs Y bin X)")
        conflict = True
        lineage = LINEAGE_FACTOR
    if any(t.kind is Kind.NUM for t in extra_q) and any(t.kind is Kind.NUM for t in extra_r):
        notes.append("numbers differ")
    legal = _legal_factor(query, result)
    if legal < 1.0:
        notes.append(f"legal forms differ: {' '.join(query.legal)} vs {' '.join(result.legal)}")
    components = {
        "mean": mean,
        "weakest": weakest,
        coverage_kind: coverage,
        "numbers": numbers,
        "lineage": lineage,
        "legal": legal,
    }
    if rules.scorer == "v1":
        score = quality * coverage * lineage * legal * numbers
    else:
        score = combine_v2(components)
    return NameComparison(
        max(0.0, min(1.0, score)),
        query,
        result,
        tuple(p for _, _, p in pairs),
        tuple(t.text for t in extra_q),
        tuple(t.text for t in extra_r),
        conflict,
        tuple(notes),
        tuple((k, v) for k, v in components.items() if v < 1.0),
    )


# Exponents of the @2 score, one per component (see combine_v2). Chosen by
# bench/screening_fit.py: a grid search for the best F1 on name_bench under a cap of
# 0.3 % false positives on the global yente negatives (5-fold CV F1 is printed there).
V2_EXPONENTS: dict[str, float] = {
    "mean": 0.5,
    "weakest": 0.5,
    "conflict": 1.0,
    "org extra": 1.5,
    "person extra": 2.0,
    "one part": 1.0,
    "title and surname": 1.0,  # fixed by principle (not fitted)
    "numbers": 1.0,  # fixed by principle: strong evidence, not a veto
    "lineage": 1.0,  # fixed by principle
    "legal": 3.0,
}


def combine_v2(components: dict[str, float]) -> float:
    """The @2 name score: the product of the components, each to its fitted power.

    Every component is 1.0 for two equal names, so equal names score 1.0; each
    shortfall (a weak pair, an extra part, another number, a legal form) lowers the
    score by its own factor, which the explanation lists.
    """
    score = 1.0
    for name, value in components.items():
        if value < 1.0:
            score *= max(value, 1e-6) ** V2_EXPONENTS.get(name, 1.0)
    return score


def _substantive(extra: list[Tok], org_like: bool = False) -> bool:
    kinds = (Kind.NAME, Kind.NUM, Kind.INITIAL, Kind.GENERIC) if org_like else _NAME_KINDS
    return any(t.kind in kinds for t in extra)


_NAME_KINDS = (Kind.NAME, Kind.NUM, Kind.INITIAL)


def _lineage_reversed(
    qp: list[Tok], rp: list[Tok], links: list[tuple[int, int]], needs_context: bool
) -> bool:
    """ "Salman bin Muhammad" vs "Muhammad bin Salman": the son and father swap sides.

    With ``needs_context`` (rules @2) only a "bin" between two names orders them:
    "bin Salman Mohammed" is a jumbled query, not a son named Salman.
    """
    qb = [i for i, t in enumerate(qp) if t.kind is Kind.PARTICLE and t.text in ("bin", "bint")]
    rb = [j for j, t in enumerate(rp) if t.kind is Kind.PARTICLE and t.text in ("bin", "bint")]
    if not qb or not rb:
        return False
    qf, rf = qb[0], rb[0]
    if needs_context and not (_between_names(qp, qf) and _between_names(rp, rf)):
        return False
    for i, j in links:
        if qp[i].kind is Kind.PARTICLE:
            continue
        if (i < qf) != (j < rf):
            return True
    return False


def _between_names(parts: list[Tok], pos: int) -> bool:
    return any(t.kind is Kind.NAME for t in parts[:pos]) and any(
        t.kind is Kind.NAME for t in parts[pos + 1 :]
    )


def _is_vessel(query: NameForm, result: NameForm) -> bool:
    return "vessel" in (query.family, result.family)


def _conflict(
    extra_q: list[Tok],
    extra_r: list[Tok],
    org_like: bool,
    query: NameForm,
    result: NameForm,
    rules: Rules,
) -> bool:
    """Both names keep a part of their own: most likely two parties."""
    if not rules.generic_no_conflict:
        return _substantive(extra_q, org_like) and _substantive(extra_r, org_like)
    kinds: tuple[Kind, ...] = _NAME_KINDS
    if rules.numbers_by_schema and org_like and not _is_vessel(query, result):
        kinds = (Kind.NAME, Kind.INITIAL)  # differing numbers are weighed on their own
    if any(t.kind in kinds for t in extra_q) and any(t.kind in kinds for t in extra_r):
        return True
    # two places (Bank of China (Hong Kong) / (Singapore)): two branches
    return any(t.kind is Kind.PLACE for t in extra_q) and any(
        t.kind is Kind.PLACE for t in extra_r
    )


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
    rules: Rules,
    pairs: list[tuple[float, float, PartMatch]],
) -> tuple[float, str]:
    """The factor for parts left unpaired, and which rule gave it."""
    if rules.patronymics and all(m.how == "initial" for _, _, m in pairs):
        return SINGLE_PART_FACTOR, "one part"  # initials alone ("N. N.") name nobody
    wq = sum(t.weight for t in extra_q)
    wr = sum(t.weight for t in extra_r)
    if wq <= 0.0 and wr <= 0.0:
        return 1.0, "coverage"
    org_like = _is_org_like(query, result)
    if _conflict(extra_q, extra_r, org_like, query, result, rules):
        return CONFLICT_FACTOR * matched_w / (matched_w + wq + wr), "conflict"
    syllabic = query.korean or result.korean or any(t.glyph for t in (*qp, *rp))
    if org_like or syllabic:
        # companies, vessels, and names in CJK or Korean romanisation (no middle names,
        # no patronymics): an extra part is another party's part, not a dropped one
        extra = (*extra_q, *extra_r)
        names = sum(t.weight for t in extra if t.kind is Kind.NAME)
        numbers = sum(t.weight for t in extra if t.kind is Kind.NUM)
        weak = wq + wr - names - numbers
        penalty = ORG_EXTRA_WEIGHT * names + ORG_EXTRA_NUMBER * numbers + 0.5 * weak
        return matched_w / (matched_w + penalty), "org extra"
    # a person: how much of the shorter name did we pair?
    short_parts, short_used = (rp, r_used) if _substantive(extra_q) else (qp, q_used)
    paired = sum(
        1.0 if t.kind is Kind.NAME else 0.5 if t.kind is Kind.INITIAL else 0.0
        for t, used in zip(short_parts, short_used, strict=True)
        if used
    )
    if rules.patronymics and paired >= 1.5:
        # a pair of a name with an initial is half a pair ("Azade K." is not two
        # names); an initial or a patronymic left over is no other name ("V. V. Putin",
        # "V. Putin" / "Vladimir Vladimirovich Putin")
        paired = _pair_strength(pairs)
        leftover = [t for t in (*extra_q, *extra_r) if not is_patronymic(t.text)]
        if paired < 2.0 and any(t.kind is Kind.NAME for t in leftover):
            return SINGLE_PART_FACTOR, "one part"
    if paired < 1.5 and _substantive(extra_q or extra_r):
        if rules.titled_surname and _titled_surname(query, result, extra_q, extra_r):
            return TITLED_SURNAME, "title and surname"
        return SINGLE_PART_FACTOR, "one part"
    if rules.patronymics:
        # lists add Slavic patronymics that queries leave out: half a name part
        wq = _patronymic_weight(extra_q)
        wr = _patronymic_weight(extra_r)
    return max(PERSON_EXTRA_FLOOR, 1.0 - PERSON_EXTRA_STEP * (wq + wr)), "person extra"


def _patronymic_weight(extra: list[Tok]) -> float:
    return sum(t.weight * (PATRONYMIC_WEIGHT if is_patronymic(t.text) else 1.0) for t in extra)


def _pair_strength(pairs: list[tuple[float, float, PartMatch]]) -> float:
    """How many name parts the pairs stand for: an initial's pair counts half."""
    return sum(
        1.0 if w >= WEIGHT[Kind.NAME] else 0.5 if m.how == "initial" else 0.0
        for w, _, m in pairs
    )


def _number_factor(extra_q: list[Tok], extra_r: list[Tok]) -> float:
    """Companies and funds: another number is strong evidence of another party.

    "Fund VII" vs "Fund VIII" are sister funds, "Trust 2004-1" vs "2004-2" two series:
    a hit worth review, not proof of identity. Vessels are not weighed here: a number
    names another hull (see :func:`_conflict`).
    """
    nq = any(t.kind is Kind.NUM for t in extra_q)
    nr = any(t.kind is Kind.NUM for t in extra_r)
    # a number on one side only ("Fund" / "Fund I", "Victory" / "Victory 3") names a
    # member of a series the other name does not: it weighs like an extra word
    return NUMBER_DIFFERS if nq and nr else 1.0


def _titled_surname(
    query: NameForm, result: NameForm, extra_q: list[Tok], extra_r: list[Tok]
) -> bool:
    """A query of a title and one name ("President Putin", "Putyin elnök") naming the
    listed surname: the one name a title is used with. (A listed alias such as
    "Don Tomas" is not turned around: it is a nickname, not a reference by office.)"""
    del extra_q
    if not any(t.kind is Kind.TITLE for t in query.tokens):
        return False
    names = [t for t in result.parts if t.kind is Kind.NAME]
    if not names:
        return False
    surname = names[0] if "," in result.original else names[-1]
    return surname not in extra_r


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
    query: tuple[NameForm, ...], result: tuple[NameForm, ...], rules: Rules
) -> NameComparison | None:
    """The best comparison over all readings of two names."""
    best: NameComparison | None = None
    for q in query:
        for r in result:
            if q.word_reading and r.word_reading:
                continue  # both written in CJK: their characters decide (高石 is not 高市)
            cmp = compare_names(q, r, rules)
            if best is None or cmp.score > best.score:
                best = cmp
    return best
