"""Head counts from phrases: the number of people a casualty phrase ("at least 30 civilians", "two children
and their mother", "Hector Larios") states, as ``Count(count, min, max)``.

Standard library only, no import-time side effects, never raises on any string. Matching ignores
case (MUC-4 reports are all UPPER CASE) except in the proper-name rule. ``Count(count, min, max)``:
``count`` is the figure the text states, ``min``/``max`` the bounds it implies, ``None`` unknown;
an unknown number is never shown as a guessed count. Rules of ``parse_count``:

* Exact -> ``(n, n, n)``: digits ("30", "1,200"), words ("thirty", "twenty-five", "twenty five",
  "one hundred and twenty", "three thousand", "a hundred"), "a dozen" 12, "two dozen" 24,
  "half a dozen" 6, "a score of" 20, "both" / "a pair of" 2.
* Lower bound -> ``(None, n, None)``: "at least / no fewer than / not less than / a minimum of n",
  "n or more", "n plus", "n+", "n-odd"; strict "more than / over / upwards of / in excess of /
  above n" -> min n+1 ("more than a dozen" -> min 13).
* Upper bound -> ``(None, None, n)``: "up to / at most / no more than / as many as n", "n or
  fewer"; strict "fewer than / less than / under / nearly / almost n" -> max n-1 ("nearly 40" -> 39).
* Approximate -> ``(n, None, None)``: "about / around / some / approximately / roughly / an
  estimated / close to / perhaps n", "n or so"; "a couple (of)" -> ``(2, None, None)``.
* Range -> ``(None, lo, hi)``: "between 5 and 8", "from 5 to 8", "5 to 8", "5-8", "7 - 10", "two or
  three".
* Vague -> minimum only: "several", "a few", "few", "many", "numerous", "multiple", "some", "a
  number of", "a handful of" -> min 2; "dozens" 24, "scores" 40, "hundreds" 200, "thousands" 2000,
  "tens of thousands" 20000, "several / a few dozen" 24.
* Zero -> ``(0, 0, 0)``: "no one", "nobody", "none (of ...)", "no <noun>", "not a single ...".
* Not head counts, skipped: ages and measures ("a 12-year-old boy", "30 percent", "5 km"; a number just
  left of a span that starts "year-old": ``span_counts``), dates
  ("12 January", "in 1989"), ordinals ("1st"). The number must precede the phrase's first "of" /
  "who" / "from" / ...: "the leader of 30 peasants" -> 1, but "12 of the passengers" -> 12 and,
  after a collective head, "a family of five" -> 5.
* No number: plural or collective head ("people", "civilians", "the passengers", "policemen",
  "family", "police", "crew") -> ``(None, 2, None)``; a/an/another/this/the/his/their... + singular
  head ("a soldier", "the mayor", "their mother") -> 1; a title first or as head ("JUDGE HECTOR
  LARIOS", "ANTIOQUIA GOVERNOR") -> 1; a bare singular person noun ("woman", "bodyguard") -> 1; an age
  said as a noun ("18-year-old", "the 5-month-old") -> 1 ("two 17-year-olds" -> 2);
  "he"/"she" -> 1; "another" alone -> 1 (one more person); "they"/"them" -> None.
* Proper names count one: a capitalised phrase of two or more words ("Hector Larios", "HECTOR
  LARIOS") whose head is not plural and which holds no number, or one Title Case word in mixed case
  ("Bolton"). Lower case cannot be told from nouns ("hector larios"): None. A name ending like an
  English plural ("Roberts", "HECTOR ROBERTS") reads as plural, except after a title or in a mixed-case
  Title Case name ("Hector Roberts"). In mixed case, a role noun then a Title Case name is one person
  ("Hindu priest Shymananda", "journalist Ram Singh").
* Coordination: parts joined by "and", "&", "as well as", "along with" (commas inside such a list
  too) are summed like spans below: "two children and their mother" -> 3, "three soldiers and a
  policeman" -> 4; a part with no number adds min 0 and no max. Commas without "and" are an
  apposition: the first part that parses wins. Text in parentheses or after "including", "who",
  "among", "mostly", ... is ignored.

>>> parse_count("at least 30 civilians")
Count(count=None, min=30, max=None)
>>> parse_count("TWO CHILDREN AND THEIR MOTHER").to_dict()
{'count': 3, 'min': 3, 'max': 3}
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Count:
    """A head count: the stated figure and the bounds the text implies (None = unknown)."""

    count: int | None
    min: int | None
    max: int | None

    def to_dict(self) -> dict[str, int | None]:
        """``Count(3, 3, 3).to_dict()`` -> ``{'count': 3, 'min': 3, 'max': 3}``."""
        return {"count": self.count, "min": self.min, "max": self.max}


def _w(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _phrases(spec: str) -> dict[tuple[str, ...], str]:
    """``"ge: at least|over; le: up to"`` -> ``{("at", "least"): "ge", ("over",): "ge", ("up", "to"): "le"}``."""
    return {tuple(p.split()): kind.strip() for part in spec.split(";") for kind, ps in [part.split(":")]
            for p in ps.split("|")}


_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                     "thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_MULT = {"dozen": 12, "score": 20, "hundred": 100, "thousand": 1000, "million": 10**6}
_PLURAL_MULT = {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000, "millions": 10**6}
_CAP = 10**9  # larger "numbers" are not head counts
_QUAL = _phrases("ge: at least|no fewer than|no less than|not less than|not fewer than|a minimum of|minimum of;"
                 "gt: more than|over|upwards of|in excess of|greater than|above;"
                 "le: up to|at most|no more than|not more than|as many as|a maximum of|maximum of;"
                 "lt: fewer than|less than|under|nearly|almost|not quite;"
                 "~: about|around|some|approximately|approx|roughly|estimated|close to|circa|perhaps|possibly;"
                 "between: between|from")
#: the number words of one to nineteen and the qualifiers that stand before a number ("at least", "nearly"), as
#: ``model.cues`` reads a stated casualty phrase ("killing at least [23 people]"): one vocabulary for both
NUMBER_WORDS: tuple[str, ...] = tuple(w for w, v in _UNITS.items() if v)
QUALIFIERS: tuple[str, ...] = tuple(" ".join(p) for p, kind in _QUAL.items() if kind != "between")
_SUFFIX = _phrases("ge: or more|and more|or over|plus|+|odd|- odd|at least; ~: or so; le: or fewer|or less|at most")
_VAGUE = _phrases("min2: a few|a handful of|a lot of|lots of|number of|several|few|many|numerous|multiple|"
                  "various|some|countless; approx2: a couple of|a couple; exact2: a pair of|both|twin|twins")
_VAGUE_COUNT = {"min2": Count(None, 2, None), "approx2": Count(2, None, None), "exact2": Count(2, 2, 2)}
_RANGE = _w("to - – — or through thru")
_MONTHS = _w("jan january feb february mar march apr april may jun june jul july aug august sep sept september "
             "oct october nov november dec december")
_AFTER_GUARD = _MONTHS | _w("year years yr yrs month months week weeks day days hour hours minute minutes old "
                            "percent pct per % km kilometers kilometres kilometer kilometre mile miles meters "
                            "metres kg pm am p.m a.m gmt o'clock mm caliber st nd rd th")
_BEFORE_GUARD = _MONTHS | _w("no number route page article battalion brigade regiment division flight highway")
_STOP = _w("of who whom whose which from with near aboard inside including among during after when while , ; : ( )")
_COLLECTIVE = _w("family families group groups crew crews team patrol unit platoon squad population community "
                 "army military police militia staff personnel")
_OF_OK = _COLLECTIVE | _w("upwards excess minimum maximum total number lot lots handful couple pair")
_PLURAL_LEX = _COLLECTIVE | _w("people persons folk folks men women children kids troops guerrillas militias "
                               "youths dead injured wounded casualties victims hostages forces marines rebels")
#: singular nouns of a person, the one lexicon for every rule that asks whether a phrase is about people: a singular
#: one counts one ("a soldier", "Cashier"), none of them ends a name (``is_name``), and ``cues`` / ``stated`` read
#: phrases that end in one or in its plural (:func:`person_plural`) before a casualty predicate ("[two women] were
#: fatally shot")
PERSON_NOUNS = _w("man woman boy girl child baby infant person soldier policeman policewoman officer driver guard "
                  "bodyguard leader candidate teacher student peasant civilian farmer worker employee official member "
                  "citizen resident lawyer businessman merchant guerrilla rebel agent secretary assistant missionary "
                  "teenager toddler victim bystander passenger pedestrian shopkeeper owner gunman suspect "
                  "journalist reporter photographer priest nun wife husband son daughter mother father brother sister "
                  "male female latino latina teen youth adult individual motorist customer clerk star player friend "
                  "neighbour neighbor girlfriend boyfriend deputy trooper coach cashier manager")
# a stated age: "a 26-year-old man", "18-Year-Old", "aged 26" (group 1 or 2: the number)
AGE = re.compile(r"\b(\d{1,3})[-\s]?(?:year|yr)s?[-\s]?old\b|\baged?\s+(\d{1,3})\b", re.IGNORECASE)
_IRREGULAR_PLURALS = {"child": ("children",), "person": ("people", "persons"), "wife": ("wives",)}


def person_plural(noun: str) -> tuple[str, ...]:
    """The plural forms of a person noun.

    >>> person_plural("policeman"), person_plural("deputy"), person_plural("coach"), person_plural("person")
    (('policemen',), ('deputies',), ('coaches',), ('people', 'persons'))
    """
    if noun in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[noun]
    if noun.endswith("man"):
        return (noun[:-3] + "men",)
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return (noun[:-1] + "ies",)
    if noun.endswith(("ch", "sh", "s", "x")):
        return (noun + "es",)
    return (noun + "s",)


_PERSON_PLURALS = frozenset(p for n in PERSON_NOUNS for p in person_plural(n)) | _PLURAL_LEX | _w("others")


_TITLES = _w("judge mayor president father priest archbishop bishop monsignor msgr reverend rev pastor general gen "
             "colonel col lieutenant lt captain capt major maj sergeant sgt corporal commander admiral senator sen "
             "congressman congresswoman governor gov minister mr mrs ms miss dr doctor professor prof attorney "
             "ambassador councilman councillor sheriff inspector detective king queen prince princess sheikh "
             "imam rabbi cardinal magistrate prosecutor don sr sra lic engineer det cpl")
_PRE_TITLE = _w("former acting u.s vice deputy retired late assistant then interim")
# heads that describe a person's role rather than name them ("ATTORNEY GENERAL", "UP LEADER", "CLERGYMAN")
_ROLE_HEADS = PERSON_NOUNS | _TITLES | _w("founder rector director chief head chairman spokesman spokeswoman "
                                     "clergyman councilor representative deputy delegate diplomat activist "
                                     "politician unionist manager engineer nurse coordinator editor economist "
                                     "mother-in-law father-in-law nephew niece cousin uncle aunt grandson "
                                     "granddaughter grandmother grandfather companion friend relative")
_DETS = _w("the a an another this that these those his her their its our my your all each every")
_SING_DETS = _DETS - _w("these those all each every")
_PRON1 = _w("he him she her himself herself")
_PRONOUNS = _PRON1 | _w("they them themselves we us it those these who whom")
_PARTICLES = _w("de del la las los y da di van von der bin al el le du alias")  # "Ramesh alias Ramu": one name
_CUT = _w("who whom whose which including among mostly mainly most especially notably")
_LIST_SEPS = [("and",), ("&",), ("as", "well", "as"), ("along", "with"), ("together", "with")]
#: the same words as a regex, for the modules that read coordinations in text (``cues``, ``casualties``, ``entities``)
_COORDINATOR = "(?:" + "|".join(r"\s+".join(map(re.escape, sep)) for sep in _LIST_SEPS) + ")"
# a code of letters, hyphen, digits ("I-70", "AK-47", "B-52s", "COVID-19") is one token: a name, never a count
_TOKEN_RE = re.compile(r"[^\W\d_]+-\d+\w*|\w+(?:[.,'’]\w+)*|[-–—+%,;:.()\[\]!?&]")
_NUM_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?")
_WORD_RE = re.compile(r"[^\W\d_]+(?:[.'’][^\W\d_]+)*['’]?")
_ABBR = _w("mr mrs ms dr st gen col lt capt sgt cpl maj rev sen gov prof msgr sr sra jr vs")


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """Original-case and lower-case tokens; letter-hyphen-letter splits, abbreviation dots are dropped."""
    orig: list[str] = []
    for m in _TOKEN_RE.finditer(re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", " ", text)):
        prev = orig[-1] if orig else ""
        if m.group() != "." or not (prev.lower() in _ABBR or "." in prev or (len(prev) == 1 and prev.isalpha())):
            orig.append(m.group())
    return orig, [t.lower() for t in orig]


def _apply(kind: str, v: int) -> Count:
    return {"ge": Count(None, v, None), "gt": Count(None, v + 1, None), "le": Count(None, None, v),
            "lt": Count(None, None, max(v - 1, 0)), "~": Count(v, None, None)}.get(kind, Count(v, v, v))


def _read_number(toks: list[str], i: int) -> tuple[int, int] | None:
    """The number that starts at ``toks[i]`` as (value, index after it), or None."""
    n, j, total, cur, last = len(toks), i, 0.0, 0.0, ""
    if toks[i:i + 3] == ["half", "a", "dozen"]:
        return 6, i + 3
    if toks[i] in ("a", "an"):
        if i + 1 >= n or toks[i + 1] not in _MULT:
            return None
        cur, last, j = 1.0, "d", i + 1
    while j < n:
        t = toks[j]
        if last == "" and _NUM_RE.fullmatch(t) and len(t) <= 13:
            cur, last = float(t.replace(",", "")), "d"
        elif t in _UNITS and last in ("", "t", "h", "&", "b") and not (last == "t" and _UNITS[t] >= 10):
            cur, last = cur + _UNITS[t], "u"
        elif t in _TENS and last in ("", "h", "&", "b"):
            cur, last = cur + _TENS[t], "t"
        elif t in _MULT and (last in ("u", "t", "d") or (last == "" and t != "score")
                             or (last == "h" and _MULT[t] >= 1000)):
            if _MULT[t] >= 1000:
                total, cur, last = total + (cur or 1) * _MULT[t], 0.0, "b"
            else:
                cur, last = (cur or 1) * _MULT[t], "h"
        elif t == "and" and last in ("h", "b") and j + 1 < n and (toks[j + 1] in _UNITS or toks[j + 1] in _TENS):
            last = "&"
        else:
            break
        j += 1
    value = total + cur
    return None if last == "" or value != int(value) or value > _CAP else (int(value), j)


def is_pronoun(phrase: str) -> bool:
    """Whether ``phrase`` is a pronoun alone, which says nothing of how many people it refers to.

    >>> [is_pronoun(p) for p in ("He", " them ", "who", "the man", "")]
    [True, True, True, False, False]
    """
    return " ".join(phrase.casefold().split()) in _PRONOUNS


def is_number(phrase: str) -> bool:
    """Whether ``phrase`` is one number and nothing else, as the counts read numbers.

    >>> [is_number(p) for p in ("TWO", "19", "4,000", "twenty-five", "two soldiers", "AK-47", "")]
    [True, True, True, True, False, False, False]
    """
    toks = _tokens(phrase)[1] if isinstance(phrase, str) else []
    read = _read_number(toks, 0) if toks else None
    return read is not None and read[1] == len(toks)


def _guarded(toks: list[str], i: int, value: int, j: int) -> bool:
    """True when the number at toks[i:j] is an age, measure, date, label or the size of a place, not a head count."""
    nxt = toks[j + 1] if j + 1 < len(toks) and toks[j] == "-" else toks[j] if j < len(toks) else ""
    prv = toks[i - 1] if i else ""
    year = len(toks[i]) == 4 and toks[i].isdigit() and 1800 <= value <= 2100 and prv in _w("in since during of")
    return nxt in _AFTER_GUARD or prv in _BEFORE_GUARD or year or _population(toks, i)


# a place whose size a number right after "<place> of" states: "the town of about 14,000 people" is no casualty figure
_PLACES = _w("town city village hamlet township community district settlement municipality county province region "
             "camp neighbourhood neighborhood suburb island country nation population")


def _population(toks: list[str], i: int) -> bool:
    """Whether the number at ``toks[i]`` is the size of a place or a population: "<place> of [about] N",
    "home to N", "a population of N" (a qualifier of ``_QUAL`` and an article may stand before the number).

    >>> _population("the town of about 14,000".split(), 4), _population("killed about 14".split(), 2)
    (True, False)
    """
    k = next((k for k in (3, 2, 1) if i >= k and tuple(toks[i - k:i]) in _QUAL), 0)
    j = i - k
    if k and j >= 1 and toks[j - 1] in ("a", "an"):  # "an estimated 300"
        j -= 1
    return j >= 2 and ((toks[j - 1] == "of" and toks[j - 2] in _PLACES) or toks[j - 2:j] == ["home", "to"])


def _match(table: dict[tuple[str, ...], str], seq: list[str]) -> str:
    """The kind of the longest phrase in ``table`` that ends ``seq``."""
    return next((table[tuple(seq[-k:])] for k in (3, 2, 1) if len(seq) >= k and tuple(seq[-k:]) in table), "")


def _inside_number(toks: list[str], i: int) -> bool:
    """Whether ``toks[i]`` continues a number that starts at most 4 tokens before it ("million" of "2 million",
    "five" of "two hundred and five"): the scanners try every position, and a number that starts there would
    read the tail of one already passed over (guarded as a place's size, an age, a date).

    >>> _inside_number("a city of 2 million".split(), 4), _inside_number("2 million".split(), 0)
    (True, False)
    """
    return any((r := _read_number(toks, s)) is not None and r[1] > i for s in range(max(0, i - 4), i))


def _read_quantity(toks: list[str], i: int) -> tuple[Count, int, str] | None:
    """The quantity (number or vague word) that starts at ``toks[i]``: (count, end, source)."""
    n, r = len(toks), _read_number(toks, i)
    if r and _inside_number(toks, i):  # "million" of a guarded "a city of 2 million" is no number of its own
        return None
    if r and not _guarded(toks, i, *r):
        v, j = r
        pre = _match(_QUAL, toks[max(0, i - 3):i])
        if j + 1 < n and (toks[j] in _RANGE or (toks[j] == "and" and pre == "between")):
            r2 = _read_number(toks, j + 1)
            if r2 and not _guarded(toks, j + 1, *r2):
                lo, hi = sorted((v, r2[0]))
                return (Count(lo, lo, lo) if lo == hi else Count(None, lo, hi)), r2[1], "number"
        suf = next((s for s in _SUFFIX if tuple(toks[j:j + len(s)]) == s), ())
        if pre in ("", "between"):
            pre, j = _SUFFIX.get(suf, "="), j + len(suf)
        return _apply(pre, v), j, "number"
    if toks[i] in _PLURAL_MULT:
        m, j = 2 * _PLURAL_MULT[toks[i]], i + 1
        while j + 1 < n and toks[j] == "of" and toks[j + 1] in _PLURAL_MULT and m <= _CAP:
            m, j = m * _PLURAL_MULT[toks[j + 1]], j + 2
        return Count(None, min(m, _CAP), None), j, "vague"
    size = next((k for k in (3, 2, 1) if tuple(toks[i:i + k]) in _VAGUE), 0)
    if not size or (i and toks[i - 1] in ("as", "how", "so", "too")):
        return None
    count, j = _VAGUE_COUNT[_VAGUE[tuple(toks[i:i + size])]], i + size
    nxt = toks[j] if j < n else ""
    if nxt in _MULT and count.min == 2:  # "several dozen"
        return Count(None, 2 * _MULT[nxt], None), j + 1, "vague"
    if nxt in _UNITS or nxt in _TENS or _NUM_RE.fullmatch(nxt):
        r = _read_number(toks, j)
        if not (r and _guarded(toks, j, *r)):  # "some 30" is a number; in "twin 5-year-old girls" 5 is an age
            return None
    return count, j, "vague"


def _is_plural(word: str) -> bool:
    if word in _PLURAL_LEX or (word.endswith("men") and len(word) > 4 and word not in _w("carmen yemen abdomen")):
        return True
    return len(word) > 3 and word.endswith("s") and (
        word[-2] not in "aeiousy" or word.endswith(("ies", "ees", "ves", "ges", "sses", "rses", "oys", "ays", "eys")))


def _age_alone(toks: list[str]) -> bool:
    """The phrase ends in an age with its number: "18-year-old", "five-month-old" (lower-case tokens), said as a noun
    ("[the 17-year-old] was found dead") or cut by the tagger before its head ("[30-year-old] man"): one person. A bare
    "year-old" says no one's age."""
    if len(toks) < 3 or toks[-1] != "old" or toks[-2] not in ("year", "month", "week", "day"):
        return False
    number = toks[-4] if toks[-3] == "-" and len(toks) >= 4 else toks[-3]
    return number.isdigit() or number in _UNITS or number in _TENS


def _single(orig: list[str], toks: list[str]) -> tuple[Count | None, str]:
    """Count one noun phrase (no coordination); source is number / vague / singular / plural / ''."""
    n = len(toks)
    if n and ((toks[0] in _w("no none nobody noone zero nil") and toks[1:2] not in (["fewer"], ["less"], ["more"]))
              or toks[:2] in (["not", "one"], ["not", "a"], ["not", "any"])):
        return Count(0, 0, 0), "number"
    for i, t in enumerate(toks):
        if i and t in _STOP and not (t == "of" and toks[i - 1] in _OF_OK):
            break
        q = _read_quantity(toks, i)
        if q:
            return q[0], q[2]
    if n == 1 and toks[0] in _PRON1:
        return Count(1, 1, 1), "singular"
    k = next((k for k, t in enumerate(toks) if t not in _DETS), n)
    end = next((e for e in range(k, n) if toks[e] in _STOP), n)
    idx = [i for i in range(k, end) if _WORD_RE.fullmatch(toks[i])]
    if not idx:
        return (Count(1, 1, 1), "singular") if toks == ["another"] else (None, "")
    words = [re.sub(r"['’]s?$", "", toks[i]) for i in idx]
    head, det, names = words[-1], (toks[k - 1] if k else ""), [orig[i] for i in idx]
    first = words[1] if words[0] in _PRE_TITLE and len(words) > 1 else words[0]
    if head in _PLURAL_LEX or det in ("these", "those"):
        return Count(None, 2, None), "plural"
    mixed = any(c.islower() for w in names for c in w)
    capitalised = all(w[:1].isupper() or w.lower() in _PARTICLES for w in names) and names[-1][:1].isupper()
    if first in _TITLES or head in _TITLES or (len(names) >= 2 and mixed and capitalised):
        return Count(1, 1, 1), "singular"  # a title ("JUDGE X", "ANTIOQUIA GOVERNOR"), or a Title Case name
    role = next((j for j in range(len(words) - 2, -1, -1) if words[j] in _ROLE_HEADS), None)
    if mixed and role is not None and all(w[:1].isupper() for w in names[role + 1:]):
        return Count(1, 1, 1), "singular"  # a role, then a name: "Hindu priest Shymananda", "journalist Ram Singh"
    if _is_plural(head):
        return Count(None, 2, None), "plural"
    if capitalised and head not in _AFTER_GUARD and not any(_NUM_RE.fullmatch(t) for t in toks) and (
            len(names) >= 2 or (mixed and names[0][1:].islower())):
        return Count(1, 1, 1), "singular"  # "HECTOR LARIOS", or one Title Case word ("Bolton") in mixed case
    if det in _SING_DETS or head in PERSON_NOUNS or _age_alone(toks):
        return Count(1, 1, 1), "singular"
    return None, ""


def is_name(phrase: str) -> bool:
    """Whether a phrase names a person ("HECTOR LARIOS", "Joseph Perkins Jr", "JUDGE MARIA DIAZ") rather
    than describing one ("ATTORNEY GENERAL", "the man", "UP LEADER", "26-YEAR-OLD TEACHER").

    Two or more capitalised words before any "of" / "who" / comma, with no determiner in front, no number
    and a head that is not a role or person noun; in mixed case one Title Case word also names ("Bolton").

    >>> is_name("ROBERTO GARCIA ALVARADO"), is_name("ATTORNEY GENERAL"), is_name("a 29-year-old man")
    (True, False, False)
    """
    if not isinstance(phrase, str):
        return False
    orig, toks = _tokens(re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", phrase))
    end = next((i for i, t in enumerate(toks) if t in _STOP), len(toks))
    orig, toks = orig[:end], toks[:end]
    if not toks or toks[0] in _DETS or any(_NUM_RE.fullmatch(t) or t in _UNITS or t in _TENS for t in toks):
        return False
    if not all(_WORD_RE.fullmatch(t) or t == "." for t in toks):
        return False
    names = [o for o, t in zip(orig, toks) if t != "."]
    words = [re.sub(r"['’]s?$", "", t) for t in toks if t != "."]
    while len(words) > 1 and words[-1] in _w("jr sr ii iii iv"):  # "Joseph Perkins Jr"
        names, words = names[:-1], words[:-1]
    mixed = any(c.islower() for w in names for c in w)
    head = words[-1] if words else ""
    roles = {head, head[:-1] if head.endswith("s") else head, re.sub(r"men$", "man", head)}
    if not words or roles & _ROLE_HEADS or head in _ABBR or head in _PLURAL_LEX \
            or (_is_plural(words[-1]) and not (mixed and len(names) >= 2)):  # "Hector Roberts" is a name
        return False
    if not all(w[:1].isupper() or w.lower() in _PARTICLES for w in names) or not names[-1][:1].isupper():
        return False
    return len(names) >= 2 or (mixed and names[0][1:].islower() and words[0] not in _PRONOUNS)


def _describes_one(phrase: str) -> bool:
    """A singular description of one person that may refer to a named one ("the judge", "MINISTER",
    "FOUNDER AND FIRST PRESIDENT OF UP"); not "another man" (one more person) nor a bare unknown word."""
    source = _parse(phrase)[1]
    toks = _tokens(phrase)[1]
    if not toks or toks[0] in ("another", "other") or source not in ("singular", "", "sum"):
        return False
    if source == "sum":  # "FOUNDER AND FIRST PRESIDENT": titles of one person, not people
        parts = re.split(r"\b(?:and|&)\b", phrase.split(" of ")[0].split(" OF ")[0], flags=re.IGNORECASE)
        return len(parts) > 1 and all(_describes_one(x) and _tokens(x)[1][0] not in _DETS
                                      for x in parts if x.strip())
    end = next((i for i, t in enumerate(toks) if i and t in _STOP), len(toks))
    head = [t for t in toks[:end] if _WORD_RE.fullmatch(t)]
    return source == "singular" or bool(head and head[-1] in _ROLE_HEADS)


def _sum(parts: list[Count | None]) -> Count | None:
    """Add counts; bounds follow the rules in the module docstring."""
    known = [p for p in parts if p is not None]
    if not known:
        return None
    if len(known) == len(parts) and all(p.count is not None for p in known):
        mins, maxs = [p.min for p in known], [p.max for p in known]
        return Count(sum(p.count or 0 for p in known), None if None in mins else sum(m or 0 for m in mins),
                     None if None in maxs else sum(m or 0 for m in maxs))
    lows = [p.count if p.count is not None else p.min for p in known]
    highs = [p.count if p.count is not None else p.max for p in known]
    lo = None if all(x is None for x in lows) else sum(x or 0 for x in lows)
    hi = None if len(known) < len(parts) or None in highs else sum(x or 0 for x in highs)
    return None if lo is None and hi is None else Count(None, lo, hi)


_COUNT_WORDS = _DETS | {w for table in (_QUAL, _VAGUE) for p in table for w in p} | _w(
    "other others some about around roughly approximately only just nearly")


def _age_after_name(orig: list[str], toks: list[str]) -> bool:
    """The phrase ends in an age written straight after a Title Case name, its comma or brackets lost in a digest
    ("Aju 40 was shot dead", "Manzur Hossain 28"): the number is no count. Not after a word of the count grammar
    ("Another 17", "The 40")."""
    return (len(orig) >= 2 and re.fullmatch(r"\d{1,3}", orig[-1]) is not None
            and re.fullmatch(r"[A-Z][a-z]+", orig[-2]) is not None and toks[-2] not in _COUNT_WORDS)


def _parse(phrase: str) -> tuple[Count | None, str]:
    """``parse_count`` plus the source of the answer (see ``_single``; "sum" for coordination)."""
    if not isinstance(phrase, str):
        return None, ""
    orig, toks = _tokens(re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", phrase))  # drop parenthesised text
    cut = next((i for i, t in enumerate(toks) if i and t in _CUT and toks[i - 1] != "at"), len(toks))
    if cut < len(toks):  # "30 people, including 12 children", "three soldiers, two of whom ..."
        cut = max([i for i in range(cut) if toks[i] in (",", ";")], default=cut)
    orig, toks = orig[:cut], toks[:cut]
    if _age_after_name(orig, toks):
        orig, toks = orig[:-1], toks[:-1]
    seps: list[tuple[int, int]] = []
    between = False
    for i, t in enumerate(toks):
        between = between or t == "between"
        size = next((len(s) for s in _LIST_SEPS if tuple(toks[i:i + len(s)]) == s), 0)
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if t == "and" and (between or nxt == "more" or (
                i and toks[i - 1] in ("hundred", "thousand", "million") and (nxt in _UNITS or nxt in _TENS))):
            size, between = 0, False
        if (size or t in (",", ";")) and (not seps or i >= seps[-1][1]):
            seps.append((i, i + (size or 1)))
    bounds = [0] + [x for s in seps for x in s] + [len(toks)]
    pieces = [(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True) if a < b]
    if len(pieces) <= 1:
        return _single(orig, toks)
    results = [_single(orig[a:b], toks[a:b]) for a, b in pieces]
    if all(toks[a] in (",", ";") for a, _ in seps):  # commas only: an apposition
        return next((r for r in results if r[0] is not None), (None, ""))
    return _sum([r[0] for r in results]), "sum"


def phrase_quantity(phrase: str) -> tuple[Count | None, str]:
    """``parse_count`` and where the answer comes from: "number", "vague", "sum", "singular", "plural", "".

    >>> phrase_quantity("the soldiers")
    (Count(count=None, min=2, max=None), 'plural')
    """
    return _parse(phrase)


def parse_count(phrase: str) -> Count | None:
    """The number of people a phrase states, or None when it states none.

    >>> parse_count("more than a dozen")
    Count(count=None, min=13, max=None)
    >>> parse_count("ONE U.S. CIVILIAN CONTRACTOR")
    Count(count=1, min=1, max=1)
    """
    return _parse(phrase)[0]
