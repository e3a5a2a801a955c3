"""Keys under which spellings of one name part across languages compare equal (rules @2).

* :func:`phonetic_key`: one spelling per sound across the European orthographies
  lists and media use for the same name — German ``sch``/``tsch``/``w``, Polish
  ``cz``/``sz``/``w``, Hungarian ``cs``/``gy``/``ty``/``ny``, Dutch ``oe``/``tj``/``sj``,
  French ``ou``, Catalan ``tx``; ``y``/``j`` as vowel or glide; doubled letters once.
  So ``Vlagyimir Putyin``, ``Wladimir Poetin``, ``Vladimir Putin`` share one key.
* :func:`stems`: the key with and without a grammatical ending — Lithuanian ``-as``/``-is``/
  ``-ys``/``-us``, Latvian and Greek ``-s``/``-os``, French ``-e`` (``Putinas``,
  ``Putins``, ``Poutine``: ``putin``). Stems shorter than four letters are not cut.
* :func:`name_groups`: a nickname and its full name, or the full name's commonest
  cognates in other Latin-script languages (``Bill``/``William``, ``Bibi``/``Benjamin``,
  ``Juan``/``John``): the hand-typed, cited table :data:`HYPOCORISMS`. (rigour's
  Wikidata given-name tagger covers more, but loading it takes ~30 s per process.)

All functions take one lowercase ASCII part and are cached.
"""

from __future__ import annotations

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
_ENDINGS = ("as", "is", "ys", "us", "os", "s", "e")
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


# Hypocorisms (nicknames) and the commonest cognates in other Latin-script languages.
# Hand-typed from
# the Wikipedia article "Hypocorism" (section "English") and the Behind the Name
# entries of each full name (behindthename.com, "Diminutives" and "Other languages").
HYPOCORISMS: dict[str, tuple[str, ...]] = {
    "benjamin": ("bibi", "benny", "binyamin"),
    "barack": ("barry",),
    "theodore": ("ted", "teddy", "theo", "teodoro"),
    "john": ("johnny", "jack", "juan", "johann", "jean", "giovanni", "joao"),
    "michael": ("mike", "mickey", "misha", "mikhail", "miguel", "michel", "michele"),
    "alexander": ("alex", "sasha", "sascha", "alejandro", "alessandro", "alexandre",
                  "aleksandr", "oleksandr", "alexandros"),
    "william": ("bill", "billy", "will", "willy", "wilhelm", "guillermo", "guillaume"),
    "robert": ("bob", "bobby", "rob", "robbie", "roberto"),
    "richard": ("dick", "rick", "ricky", "ricardo", "riccardo"),
    "edward": ("ed", "eddie", "ned", "eduardo", "edouard", "eduard"),
    "james": ("jim", "jimmy", "jamie", "jaime", "jacques", "giacomo"),
    "joseph": ("joe", "joey", "jose", "giuseppe", "josef", "iosif"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "elisabeth"),
    "margaret": ("maggie", "meg", "peggy", "margarita", "marguerite"),
    "catherine": ("kate", "katie", "cathy", "katya", "caterina", "catalina"),
    "nicholas": ("nick", "nicky", "nicolas", "nicola", "niccolo", "nikolai", "nikolay",
                 "mykola"),
    "dmitry": ("dima",),
    "vladimir": ("volodya", "vova", "volodymyr", "uladzimir"),
    "yevgeny": ("zhenya", "eugene"),
    "peter": ("pete", "pedro", "pierre", "pietro", "pyotr", "petr", "piotr"),
    "thomas": ("tom", "tommy", "tomas"),
    "timothy": ("tim", "timmy"),
    "anthony": ("tony", "antonio", "antoine"),
    "francis": ("frank", "francisco", "francesco", "francois", "franz"),
    "charles": ("charlie", "chuck", "carlos", "carlo", "karl"),
    "henry": ("harry", "hank", "enrique", "heinrich", "henri", "enrico"),
    "george": ("jorge", "giorgio", "georg"),
    "stephen": ("steve", "steven", "stefan", "esteban", "stefano", "etienne"),
    "andrew": ("andy", "drew", "andres", "andreas"),
    "paul": ("pablo", "paolo", "pavel", "pavlo"),
    "daniel": ("dan", "danny"),
    "samuel": ("sam", "sammy"),
    "david": ("dave", "davy"),
    "joshua": ("josh",),
    "gregory": ("greg",),
    "matthew": ("matt", "mateo", "matteo"),
}  # fmt: skip


@lru_cache(maxsize=1)
def _hypocorism_groups() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for full, short in HYPOCORISMS.items():
        for name in (full, *short):
            groups.setdefault(name, set()).add(f"H:{full}")
    return {k: frozenset(v) for k, v in groups.items()}


@lru_cache(maxsize=200_000)
def name_groups(text: str) -> frozenset[str]:
    """The full names whose hypocorism or cognate ``text`` is (``bill``: ``william``)."""
    return _hypocorism_groups().get(text, frozenset())
