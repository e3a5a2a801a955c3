"""Keys under which spellings of one name part across languages compare equal (rules @2).

* :func:`phonetic_key`: one spelling per sound across the European orthographies
  lists and media use for the same name — German ``sch``/``tsch``/``w``, Polish
  ``cz``/``sz``/``w``, Hungarian ``cs``/``gy``/``ty``/``ny``, Dutch ``oe``/``tj``/``sj``,
  French ``ou``, Catalan ``tx``; ``y``/``j`` as vowel or glide; doubled letters once.
  So ``Vlagyimir Putyin``, ``Wladimir Poetin``, ``Vladimir Putin`` share one key.
* :func:`stems`: the key without a grammatical ending — Lithuanian ``-as``/``-is``/
  ``-ys``/``-us``, Latvian and Greek ``-s``/``-os`` (``Putinas``, ``Putins``:
  ``putin``). Stems shorter than four letters are not cut.
* :func:`name_groups`: a nickname and its full name (``Bill``/``William``,
  ``Bibi``/``Benjamin``: :data:`HYPOCORISMS`), or the full name's commonest cognates
  in other languages (``Juan``/``John``, ``Pyotr``/``Peter``: :data:`COGNATES`);
  hand-typed, cited tables. (rigour's Wikidata given-name tagger covers more, but
  loading it takes ~30 s per process.)

All functions take one lowercase ASCII part and are cached.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Spellings of one sound in European orthographies, longest first (applied in order).
_SOUNDS = (
    ("tsch", "ch"), ("dsch", "j"), ("dzh", "j"), ("sch", "sh"), ("tch", "ch"),
    ("cz", "ch"), ("cs", "ch"), ("tx", "ch"), ("tj", "ch"), ("zs", "j"), ("sz", "s"),
    ("tsj", "ch"), ("tsh", "ch"), ("sj", "sh"), ("rz", "zh"), ("zh", "j"), ("gy", "d"),
    ("ty", "t"), ("ny", "n"),
    ("ph", "f"), ("th", "t"), ("ck", "k"), ("kh", "h"), ("gh", "g"), ("dh", "d"),
    ("ou", "u"), ("oo", "u"), ("oe", "u"), ("ee", "i"), ("w", "v"), ("q", "k"),
    ("x", "ks"), ("z", "s"),
)  # fmt: skip
_VOWELS = "aeiou"
# Grammatical endings that lists and media add to or drop from a foreign name.
_ENDINGS = ("as", "is", "ys", "us", "os", "s")
_MIN_STEM = 4


@lru_cache(maxsize=200_000)
def phonetic_key(text: str) -> str:
    """One spelling per sound: ``vlagyimir`` → ``vladimir``, ``poetin`` → ``putin``."""
    t = text
    for src, dst in _SOUNDS:
        if src in t:
            t = t.replace(src, dst)
    t = t.replace("c", "k").replace("kh", "ch") if "c" in t else t
    chars = list(t)
    for i, ch in enumerate(chars):
        prev = chars[i - 1] if i else ""
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch == "y":
            # a glide before a vowel ("yuri" = "juri"), a vowel elsewhere ("dmitry")
            chars[i] = "j" if nxt and nxt in _VOWELS else "i"
        elif ch == "j" and prev in _VOWELS and (not nxt or nxt not in _VOWELS):
            chars[i] = "i"  # "sergej", "andrej": a final glide is the vowel i
    out: list[str] = []
    for ch in chars:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=200_000)
def stems(text: str) -> tuple[str, ...]:
    """Phonetic keys of a part without a grammatical ending (``putinas``: ``putin``)."""
    return tuple(
        phonetic_key(text[: -len(ending)])
        for ending in _ENDINGS
        if text.endswith(ending) and len(text) - len(ending) >= _MIN_STEM
    )


# Hypocorisms: nicknames of a full given name. Hand-typed from the Wikipedia article
# "Hypocorism" (section "English") and the "Diminutives" of each full name on Behind
# the Name (behindthename.com), 2026.
HYPOCORISMS: dict[str, tuple[str, ...]] = {
    "benjamin": ("bibi", "benny"),
    "barack": ("barry",),
    "theodore": ("ted", "teddy", "theo"),
    "john": ("johnny", "jack"),
    "michael": ("mike", "mickey", "misha"),
    "alexander": ("alex", "sasha", "sascha"),
    "william": ("bill", "billy", "will", "willy"),
    "robert": ("bob", "bobby", "rob", "robbie"),
    "richard": ("dick", "rick", "ricky"),
    "edward": ("ed", "eddie", "ned"),
    "james": ("jim", "jimmy", "jamie"),
    "joseph": ("joe", "joey"),
    "elizabeth": ("liz", "lizzie", "beth", "betty"),
    "margaret": ("maggie", "meg", "peggy"),
    "catherine": ("kate", "katie", "cathy", "katya"),
    "nicholas": ("nick", "nicky"),
    "dmitry": ("dima",),
    "vladimir": ("volodya", "vova"),
    "yevgeny": ("zhenya",),
    "peter": ("pete",),
    "thomas": ("tom", "tommy"),
    "timothy": ("tim", "timmy"),
    "anthony": ("tony",),
    "francis": ("frank",),
    "charles": ("charlie", "chuck"),
    "henry": ("harry", "hank"),
    "stephen": ("steve",),
    "andrew": ("andy", "drew"),
    "daniel": ("dan", "danny"),
    "samuel": ("sam", "sammy"),
    "david": ("dave", "davy"),
    "joshua": ("josh",),
    "gregory": ("greg",),
    "matthew": ("matt",),
}  # fmt: skip

# Cognates: the same given name in another language ("Other languages" on Behind the
# Name, same source). Weaker evidence than a nickname: "Antoine" and "Antonio" are
# usually two people, "Pyotr" and "Peter" one name transliterated.
COGNATES: dict[str, tuple[str, ...]] = {
    "benjamin": ("binyamin",),
    "theodore": ("teodoro", "fyodor"),
    "john": ("juan", "johann", "jean", "giovanni", "joao"),
    "michael": ("mikhail", "miguel", "michel", "michele"),
    "alexander": ("alejandro", "alessandro", "alexandre", "aleksandr", "oleksandr",
                  "alexandros"),
    "william": ("wilhelm", "guillermo", "guillaume"),
    "robert": ("roberto",),
    "richard": ("ricardo", "riccardo"),
    "edward": ("eduardo", "edouard", "eduard"),
    "james": ("jaime", "jacques", "giacomo"),
    "joseph": ("jose", "giuseppe", "josef", "iosif"),
    "elizabeth": ("elisabeth",),
    "margaret": ("margarita", "marguerite"),
    "catherine": ("caterina", "catalina"),
    "nicholas": ("nicolas", "nicola", "niccolo", "nikolai", "nikolay", "mykola"),
    "yevgeny": ("eugene",),
    "peter": ("pedro", "pierre", "pietro", "pyotr", "petr", "piotr"),
    "thomas": ("tomas",),
    "anthony": ("antonio", "antoine"),
    "francis": ("francisco", "francesco", "francois", "franz"),
    "charles": ("carlos", "carlo", "karl"),
    "henry": ("enrique", "heinrich", "henri", "enrico"),
    "george": ("jorge", "giorgio", "georg"),
    "stephen": ("steven", "stefan", "esteban", "stefano", "etienne"),
    "andrew": ("andres", "andreas"),
    "paul": ("pablo", "paolo", "pavel", "pavlo"),
    "matthew": ("mateo", "matteo"),
}  # fmt: skip


# One given name in its Russian, Ukrainian and Belarusian forms, which lists of each
# country use for one and the same person ("Volodymyr"/"Vladimir", "Siarhei"/"Sergey").
# As strong as a nickname. Same source (Behind the Name, "Other languages"), and the
# Wikipedia articles "Ukrainian name" and "Belarusian name".
EAST_SLAVIC: dict[str, tuple[str, ...]] = {
    "vladimir": ("volodymyr", "uladzimir"),
    "aleksandr": ("oleksandr", "aliaksandr", "alyaksandr"),
    "nikolay": ("nikolai", "mykola", "mikalai"),
    "pavel": ("pavlo", "paval"),
    "pyotr": ("petro", "piotr", "petr"),
    "sergey": ("serhiy", "serhii", "siarhei"),
    "dmitry": ("dmytro", "dzmitry", "dzmitryi"),
    "aleksey": ("oleksiy", "oleksii", "aliaksei"),
    "andrey": ("andriy", "andrii", "andrei"),
    "yevgeny": ("yevhen", "yauhen"),
    "mikhail": ("mykhailo", "mikhail"),
    "yury": ("yuriy", "yuri", "yurii", "jurij"),
    "anatoly": ("anatoliy", "anatol"),
    "grigory": ("hryhoriy", "ryhor"),
    "vasily": ("vasyl", "vasil"),
    "fyodor": ("fedir", "fiodar"),
}  # fmt: skip


@lru_cache(maxsize=1)
def _groups() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for prefix, table in (("H", HYPOCORISMS), ("H", EAST_SLAVIC), ("C", COGNATES)):
        for full, others in table.items():
            for name in (full, *others):
                groups.setdefault(name, set()).add(f"{prefix}:{full}")
    return {k: frozenset(v) for k, v in groups.items()}


@lru_cache(maxsize=200_000)
def name_groups(text: str) -> frozenset[str]:
    """Groups ``text`` belongs to: ``H:william`` for Bill (a nickname of William),
    ``C:william`` for Guillermo (William in another language)."""
    return _groups().get(text, frozenset())


# Slavic patronymic endings (Russian, Ukrainian, Belarusian, Serbian, Bulgarian), on
# the phonetic key, so that the German, Polish, French, Czech, Hungarian, Greek and
# Romanian spellings are caught too ("-owitsch", "-owicz", "-ovics", "-ovits", "-ovici").
_PATRONYMIC = re.compile(r"(?:[oaei]v|[ei]jev)(?:ich|ichi|its|iki)$|(?:[oae]v|[ei]jev)n[ai]$")


@lru_cache(maxsize=65_536)
def is_patronymic(text: str) -> bool:
    """A Slavic patronymic ("vladimirovich", "wladimirowitsch", "sergeyevna")."""
    return len(text) >= 7 and bool(_PATRONYMIC.search(phonetic_key(text)))
