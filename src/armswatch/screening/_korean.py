"""Korean names: Hangul romanisation and a key that unifies romanisation variants.

Sanctions lists write Korean names in McCune–Reischauer without breves ("Kim Jong Un",
"Choe Ryong Hae", "So'ng"), South Korean media in Revised Romanisation ("Gim Jeong-eun"),
and people themselves in personal spellings ("Park", "Lee", "Rhee"). :func:`syllable_key`
maps every spelling of one syllable to one key, so that "Jeong", "Jong", "Chong" and
"Ch'ŏng" compare equal. The key is only used between names that look Korean (see
:func:`is_korean_name`), never as a general phonetic key.

Hangul is romanised syllable by syllable (one token per syllable, so "김정은" gives
"kim jeong eun"): consonants as the UN and OFAC lists write them (McCune–Reischauer),
vowels as Revised Romanisation (lossless between syllables).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Hangul syllable arithmetic (Unicode 3.12): S = 0xAC00 + (L * 21 + V) * 28 + T.
_S_BASE, _L_COUNT, _V_COUNT, _T_COUNT = 0xAC00, 19, 21, 28
_N_COUNT = _V_COUNT * _T_COUNT
# Initials, medials and finals in McCune–Reischauer without diacritics, as the
# DPRK entries of the UN and OFAC lists write them (ㅈ "j", ㄱ "k", ㅓ "o", ㅡ "u").
_INITIALS = (
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t",
    "p", "h",
)  # fmt: skip
# Vowels keep Revised Romanisation's digraphs (ㅓ "eo", ㅡ "eu") so that two Hangul
# syllables never collapse; syllable_key() unifies them with "o"/"u" for Latin spellings.
_MEDIALS = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo",
    "we", "wi", "yu", "eu", "ui", "i",
)  # fmt: skip
_FINALS = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "p", "l", "l", "p", "l", "m", "p",
    "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
)  # fmt: skip


def is_hangul_syllable(ch: str) -> bool:
    return 0xAC00 <= ord(ch) <= 0xD7A3


def romanize_syllable(ch: str) -> str:
    """One precomposed Hangul syllable in McCune–Reischauer without diacritics."""
    index = ord(ch) - _S_BASE
    lead, rest = divmod(index, _N_COUNT)
    vowel, tail = divmod(rest, _T_COUNT)
    return _INITIALS[lead] + _MEDIALS[vowel] + _FINALS[tail]


def romanize_hangul(text: str) -> str:
    """Romanise Hangul syllables, one space-separated token per syllable."""
    out: list[str] = []
    for ch in text:
        if is_hangul_syllable(ch):
            out.append(f" {romanize_syllable(ch)} ")
        else:
            out.append(ch)
    return " ".join("".join(out).split())


# Surnames whose common spellings no rule unifies (Park/Pak/Bak, Lee/Ri/Yi/Rhee, ...).
# Source: the romanisations listed for each surname in the National Institute of Korean
# Language tables and the DPRK entries of the UN 1718 list (hand-typed).
_SURNAMES: dict[str, tuple[str, ...]] = {
    "kim": ("kim", "gim", "kimm"),
    "i": ("lee", "yi", "i", "ri", "rhee", "li", "rhie", "reeh", "ree", "leigh", "rie"),
    "pak": ("park", "pak", "bak", "bahk", "pack", "paik"),
    "choe": ("choi", "choe", "chwe", "choy", "choei", "che"),
    "chong": ("jung", "chung", "jeong", "chong", "cheong", "joung"),
    "kang": ("kang", "gang"),
    "cho": ("cho", "jo", "joe", "chough"),
    "yun": ("yoon", "yun", "youn", "yune"),
    "chang": ("jang", "chang", "zang"),
    "im": ("lim", "im", "rim", "yim", "leem", "rhim"),
    "o": ("oh", "o", "oe"),
    "so": ("seo", "so", "suh", "sur", "seoh"),
    "sin": ("shin", "sin", "shinn", "sheen"),
    "kwon": ("kwon", "gwon", "kweon", "kwun"),
    "yu": ("yu", "yoo", "ryu", "ryoo", "you", "rew", "lyu"),
    "chon": ("jeon", "chon", "jun", "chun", "cheon", "jon"),
    "ko": ("ko", "go", "koh", "goh"),
    "mun": ("moon", "mun", "mon"),
    "son": ("son", "sohn", "sonn"),
    "pae": ("bae", "pae", "bai", "pai"),
    "paek": ("baek", "paek", "baik", "paik", "back", "beak"),
    "ho": ("heo", "ho", "hur", "huh", "hoh"),
    "no": ("noh", "no", "roh", "ro", "rho"),
    "kwak": ("kwak", "gwak", "kwack"),
    "chu": ("joo", "ju", "chu", "choo", "jou"),
    "u": ("woo", "u", "wu"),
    "na": ("na", "ra", "la"),
    "chin": ("jin", "chin"),
    "chi": ("ji", "chi", "jee"),
    "om": ("eom", "om", "um", "uhm"),
    "pyon": ("byeon", "pyon", "byun", "pyun", "byon"),
    "yo": ("yeo", "yo", "yuh"),
    "to": ("do", "to", "doh"),
    "hyon": ("hyeon", "hyon", "hyun"),
    "ryang": ("yang", "ryang"),
}
_SURNAME_KEY = {v: k for k, vs in _SURNAMES.items() for v in vs}
KOREAN_SURNAMES = frozenset(_SURNAME_KEY)
# Distinctive surnames: a name containing one of these is treated as Korean.
_MARKERS = frozenset(
    {"kim", "gim", "pak", "park", "choe", "choi", "ri", "rhee", "jong", "chong", "jeong",
     "kang", "han", "cho", "jo", "yun", "jang", "chang", "hwang", "kwon", "ryu", "ko",
     "mun", "paek", "baek", "ho", "hyon", "hyun", "om", "pyon", "ju", "sin", "shin",
     "so", "son", "yang", "ryang", "chu", "ryom", "jon", "chon", "rim", "song", "sung",
     "kye", "tong", "ra", "thae", "o", "lee", "yi", "jung", "chung",
     "yoon", "lim", "oh", "seo", "yoo", "jeon", "koh", "moon",
     "sohn", "bae", "heo", "noh", "roh", "kwak", "joo", "gang", "bak"}
)  # fmt: skip

_SYLLABLE = re.compile(
    r"^(?:kk|tt|pp|ss|jj|ch|sh|rh|ts|[gkndtrlmbpsjh]|)"
    r"(?:yeo|yae|wae|eo|eu|ae|ya|yo|yu|ye|wa|oe|wo|we|wi|ui|oo|ee|oi|ai|ou|[aeiou]|y)"
    r"(?:ng|[kgntdlrmpb]|)$"
)


def looks_like_syllable(token: str) -> bool:
    """True if ``token`` (lowercase ASCII) can be one romanised Korean syllable."""
    return len(token) <= 6 and bool(_SYLLABLE.match(token))


def is_korean_name(tokens: list[str]) -> bool:
    """A name reads as Korean: a distinctive surname and only syllable-like parts."""
    if not tokens or len(tokens) > 6:
        return False
    if not any(t in _MARKERS for t in tokens):
        return False
    return all(looks_like_syllable(t) for t in tokens)


@lru_cache(maxsize=65536)
def syllable_key(token: str) -> str:
    """One key for all romanisations of one Korean syllable (lowercase ASCII input)."""
    t = token.replace("'", "")
    t = _SURNAME_KEY.get(t, t)  # Park/Pak/Bak, Lee/Ri/Yi: the table's spelling
    # vowels: Revised Romanisation digraphs to McCune–Reischauer
    t = t.replace("yeo", "yo").replace("eo", "o").replace("eu", "u")
    t = t.replace("oo", "u").replace("ee", "i").replace("oi", "oe").replace("wo", "wo")
    # initial consonants: voicing is not distinctive in romanisations of initials
    for src, dst in (("g", "k"), ("d", "t"), ("b", "p"), ("j", "ch"), ("sh", "s"),
                     ("rh", "r"), ("ts", "ch")):  # fmt: skip
        if t.startswith(src):
            t = dst + t[len(src) :]
            break
    # DPRK initial r/l before i/y is dropped in the South (Ri/Yi/I, Ryong/Yong)
    if t[:2] in ("ri", "li", "ry", "ly") and len(t) > 1:
        t = t[1:]
    if t.startswith("yi"):
        t = t[1:]
    # finals: l/r, k/g, t/d, p/b
    if t.endswith("ng"):
        return t
    if t.endswith(("r", "l")):
        t = t[:-1] + "l"
    elif t.endswith("g"):
        t = t[:-1] + "k"
    elif t.endswith("d"):
        t = t[:-1] + "t"
    elif t.endswith("b"):
        t = t[:-1] + "p"
    return t
