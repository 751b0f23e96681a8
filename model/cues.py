"""Which kind of casualty a span is, as the words around it say: "killing [four people] and wounding [23]".

The tagger finds casualty phrases well but often hesitates between killed and wounded when both verbs are
near (the CPU news model of 2026-12-04 gave "four people" in "killing four people and wounding 23" 0.47
B-WOUNDED and 0.27 B-KILLED, so the span fell under its threshold; "several service members" in "killing a
civilian contractor and wounding several service members" came out KILLED). :func:`casualty_cue` reads the
verb that governs the phrase:

* just left of it, the participle or verb whose object it is: "killing / killed / kills [X]", or the noun of a
  death: "the (shooting) death of / murder of / killing of / fatal shooting of [X]" -> killed,
  "wounding / injuring / wounded / injured / hurting [X]" -> wounded;
* just right of it, its predicate: "[X] died / were killed / was shot dead / was shot and killed / was fatally
  shot / was pronounced dead / were found dead / shot, killed / shot & killed" -> killed, "[X] were wounded / injured / hurt / hospitalised / was shot in the leg /
  is in critical condition / suffered minor injuries / shot, wounded / is recovering", "hit [X] in the leg" -> wounded (either after an
  apposition's comma too: "The victim, [a 22-year-old man], sustained a gunshot wound"), an adverb or "later" allowed between
  ("[X] were seriously wounded", "[X] later died"), and the rest of a phrase the tagger cut short before its
  head ("Jose Luis Ortiz, [a 21-year-old] Latino male, died Monday", a coroner's log);
* in a coordination, the predicate after the last part: "[the driver] and [four passengers] were killed".

Cues are English (the language of every corpus incidex trains on); ``casualty_cue`` returns None when no
cue is next to the phrase, and the tagger's label stands. What a report states where the tagger found no casualty
phrase at all is read by ``model.stated`` with this module's vocabulary. Standard library only (and ``counts``'
person nouns).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .counts import _COORDINATOR, _ROLE_HEADS, NUMBER_WORDS, PERSON_NOUNS, person_plural, phrase_quantity


def _alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of ``phrases``, longest first, any white space between their words."""
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=lambda p: (-len(p), p)))


_KILL_WORDS = r"(?:killing|killed|kill|kills|slaying|slew|massacring|massacred|murdering|murdered|executing|executed)"
_WOUND_WORDS = r"(?:wounding|wounded|wound|wounds|injuring|injured|injure|injures|hurting|maiming|maimed)"
_LETHAL = r"(?:fatally\s+(?:shot|stabbed|wounded|injured|struck)|shot\s+dead|shot\s+to\s+death|stabbed\s+to\s+death|" \
          r"beaten\s+to\s+death|pronounced\s+dead)"
# "killing [X]", "fatally shot [X]", and the nouns of a death: "the (shooting) death of [X]", "the murder of [X]"
_LEFT_KILL = re.compile(rf"\b(?:{_KILL_WORDS}|{_LETHAL}|(?:shooting\s+)?death\s+of|fatal\s+shooting\s+of|"
                        r"(?:murder|killing)\s+of|bod(?:y|ies)\s+of)\s+$", re.IGNORECASE)
_LEFT_WOUND = re.compile(rf"\b{_WOUND_WORDS}\s+$", re.IGNORECASE)
_AUX = r"(?:(?:were|was|are|is|had\s+been|have\s+been|has\s+been|been|being|got|get)\s+)?"
_ADV = r"(?:(?:later|also|all|both|reportedly|allegedly|critically|seriously|severely|gravely|slightly|lightly|" \
       r"fatally|badly|mortally|initially|subsequently|eventually|each|then)\s+){0,2}"


#: nouns of the perpetrators' side, attackers and fighters: the dead a phrase of one of them names ("[two militants]
#: were killed in the encounter", "killing himself and [two accomplices]") are ``perpetrators_killed`` (GTD's
#: nkillter), apart from the victims that MUC-4's keys and GVDB count (:func:`is_combatant`)
COMBATANT_NOUNS = frozenset("militant terrorist attacker assailant insurgent gunman guerrilla rebel suspect maoist "
                            "naxalite naxal cadre fidayeen fidayee jihadist bomber shooter extremist accomplice "
                            "hijacker kidnapper abductor infiltrator intruder".split())
_COMBATANT_FORMS = frozenset(f for n in COMBATANT_NOUNS for f in (n, *person_plural(n)))
# a person noun that does not make a fighter's phrase a victim's: "a militant leader", "a rebel member"
_OTHER_PERSONS = frozenset(f for n in PERSON_NOUNS - COMBATANT_NOUNS - {"leader", "member"}
                           for f in (n, *person_plural(n))) | {"people", "persons", "civilians"}


def is_combatant(phrase: str) -> bool:
    """Whether a phrase names attackers or fighters only: a noun of :data:`COMBATANT_NOUNS` (or its plural), no
    other person ("two soldiers and a militant" is both sides) and no "former" / "ex-" (a former rebel killed is a
    victim).

    >>> [is_combatant(p) for p in ("three Pakistani militants", "one of the fidayeens", "the gunman", "Three")]
    [True, True, True, False]
    >>> [is_combatant(p) for p in ("two soldiers and a militant", "a former guerrilla", "ex-militant", "militant leader")]
    [False, False, False, True]
    """
    if not isinstance(phrase, str):
        return False
    words = phrase.casefold().replace("-", " ").split()
    words = [w.strip(".,;:'\"()") for w in words]
    return (any(w in _COMBATANT_FORMS for w in words) and not any(w in _OTHER_PERSONS for w in words)
            and not any(w in ("former", "ex") for w in words))


#: head nouns of an organisation, a place or a vehicle: a casualty phrase headed by one names no people ("[the Communist
#: Party of India Maoist] cadres shot dead a person", "[a political party]", "[Madina Colony]", "[a school]", "[The
#: residence of a woman civil judge]"); :func:`names_no_people`
NO_PEOPLE_HEADS = frozenset("party parties front organisation organization outfit movement cartel council committee "
                            "union league alliance federation association coalition ministry government department "
                            "agency company corporation bank embassy consulate headquarters colony school residence "
                            "house home building shop store camp office temple church mosque market station hospital "
                            "vehicle bus car convoy truck jeep post checkpost outpost".split())
_PLURAL_FORMS = frozenset(f for n in PERSON_NOUNS | COMBATANT_NOUNS | _ROLE_HEADS for f in person_plural(n))
_PERSON_FORMS = PERSON_NOUNS | COMBATANT_NOUNS | _ROLE_HEADS | _PLURAL_FORMS
# where a noun phrase's head ends: "[members] of the party", "[a top executive] from the credit organization"
_HEAD_STOPS = frozenset("of from at in with for on to near who whom whose which including among going".split())
_OF_DETERMINERS = frozenset("a an the his her their its this that these those".split())
_ASIDE_IN_BRACKETS = re.compile(r"\([^)]*\)?")
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*")


def names_no_people(phrase: str) -> bool:
    """Whether a casualty phrase names an organisation or a place, not people: its head (the last word before
    "of", "from", ...; a bracketed aside and a trailing acronym left out) is a noun of :data:`NO_PEOPLE_HEADS` and no
    person noun or number is in it. A person noun at the end is the head ("the Communist Party of India Maoist (CPI
    Maoist) [cadres]") unless it is a capitalised singular word of a name ("the Communist Party of India Maoist"); a
    name after "a" is the start of a person's description the tagger cut short ("[A Communist Party of India Maoist]
    (CPI Maoist) area commander"), while "a political party" is an organisation.
    Measured on gold: 1 of the 3,386 killed, wounded and victim spans of MUC-4 (DEV, TST1, TST2), GVDB's 400 reports
    and the sample corpus ("VARGAS LLOSA-LED DEMOCRATIC FRONT (FREDEMO)", a key's human target).

    >>> [names_no_people(p) for p in ("the Communist Party of India Maoist", "Communist Party PBCP", "a political party")]
    [True, True, True]
    >>> [names_no_people(p) for p in ("The CPI Maoist (CPI Maoist) cadres", "members of the party", "UNION LEADERS",
    ...                               "Two suspected Communist Party of India Maoist CPI", "leader Chhatra League")]
    [False, False, False, False, False]
    """
    capitals = phrase.upper() == phrase
    words = _NAME_WORD.findall(_ASIDE_IN_BRACKETS.sub(" ", phrase))
    while len(words) > 1 and not capitals and words[-1].isupper() and len(words[-1]) > 1:
        words.pop()  # a trailing acronym: "Communist Party PBCP"
    low = [w.casefold() for w in words]
    if not low:
        return False
    cut = next((i for i, w in enumerate(low) if w in _HEAD_STOPS), len(low))
    # "of" and a determiner open a phrase of its own: its last word is not the head ("[The residence] of a woman judge")
    own_phrase = cut + 1 < len(low) and low[cut] == "of" and low[cut + 1] in _OF_DETERMINERS
    if low[-1] in _PERSON_FORMS and not own_phrase and (cut == len(low) or capitals or not words[-1][0].isupper()
                                                        or low[-1] in _PLURAL_FORMS):
        return False
    head = low[:cut]
    if not head or (low[0] in ("a", "an") and not capitals and words[cut - 1][:1].isupper()):
        return False  # a name takes no "a": "[A Communist Party of India Maoist] (CPI Maoist) area commander", cut short
    # the count grammar last, on the few phrases headed by an organisation or a place (this runs on every casualty span)
    return (head[-1] in NO_PEOPLE_HEADS and not any(w in _PERSON_FORMS for w in head)
            and phrase_quantity(phrase)[1] != "number")


# the rest of a phrase the tagger cut short, before its predicate: "Jose Luis Ortiz, [a 21-year-old] Latino male,
# died Monday" (a coroner's log), "[a 5-year-old] Latina, was shot and killed", "[TWO] PEASANTS WERE KILLED"
# ... of a person who may be a casualty: every person noun but an attacker's or a fighter's ("two suspects were killed"
# is the shooters in a report that counts their victims; "ONE REBEL" fell in combat, which MUC-4 leaves out)
_ATTACKER_NOUNS = frozenset("gunman suspect rebel guerrilla member missionary".split())
_PERSON = rf"(?:{_alternation(f for n in PERSON_NOUNS - _ATTACKER_NOUNS for f in (n, *person_plural(n)))})"
_TAIL = rf"(?:\s*(?:(?!and\b|or\b)[\w-]+\s+){{0,2}}?{_PERSON}\b)?\s*,?"
# a person the verb takes as its object: "[a man] shot and killed [his wife]", "[A man] killed [two people]", "[her
# boyfriend] shot and killed her" (active: the phrase before the verb is the killer)
_OBJECT = rf"\s+(?:(?:his|her|their|its|a|an|the|another|both|{_alternation(NUMBER_WORDS)}|\d{{1,3}})\s+" \
          rf"(?:[\w'’-]+\s+){{0,2}}?{_PERSON}|him|her|them|himself|herself|themselves)\b"
# "[X] later succumbed to his injuries" (South Asian and US local news alike)
_SUCCUMBED = r"succumb(?:ed|s)?(?:\s+to\s+(?:his|her|their|the)\s+(?:[\w-]+\s+){0,2}?(?:injuries|injury|wounds?))?"
_RIGHT_KILL = re.compile(
    rf"^{_TAIL}\s*{_AUX}{_ADV}(?:killed|died|die|dies|dead|slain|murdered|executed|beheaded|{_LETHAL}|"
    rf"(?:shot|stabbed|beaten|struck)(?:\s+and\s+|\s*[,&]\s*)killed|burn[et]d?\s+to\s+death|(?:lay|found)\s+(?:dead|{_LETHAL}|(?:shot|stabbed|beaten)\s+and\s+killed)|"
    rf"(?:has|have|had)\s+{_ADV}died|{_SUCCUMBED}|"
    rf"lost\s+(?:their|his|her)\s+li(?:ves|fe))\b(?!{_OBJECT})",
    re.IGNORECASE,
)
# hurt and alive: "[X] was shot in the leg", "hit [X] in the leg", "[X] is in critical condition", "[X] suffered
# minor injuries"
# a body part that ends the phrase ("in the leg.", "in the arm and ..."), not "in the hands of", "in the side street"
_LIMBS = r"(?:arms?|legs?|hands?|foot|feet|shoulders?|hips?|thighs?|knees?|ankles?|wrists?|elbows?|buttocks|groin|side)"
# the trunk and head: a shot there says nothing of who lived (``stated._TREATED`` reads it only where no death is stated)
_TRUNK = r"(?:back|chest|stomach|abdomen|torso|neck|face|head|jaw|upper\s+body|lower\s+body)"
_LIMB = rf"{_LIMBS}(?=\s*(?:[,.;:)]|$|(?:and|or|by|with|during|while|after|before|when|as|on|at|in|from)\b))"
_ALIVE = rf"(?:(?:(?:shot|struck|hit|grazed|wounded)\s+(?:once\s+|twice\s+)?)?in\s+the\s+(?:(?:left|right|upper|lower)\s+)?{_LIMB}|" \
         r"(?:listed\s+)?in\s+(?:critical|serious|stable|good|fair|satisfactory)(?:\s+but\s+stable)?\s+condition|" \
         r"grazed|(?:suffered|sustained)\s+(?!fatal|deadly|mortal)(?:[\w-]+\s+){0,3}(?:wounds?|injury|injuries))"
# what is said of someone hurt and alive, after the subject and its auxiliary (``_RIGHT_WOUND``, ``stated._NAMED_WOUNDED``)
_WOUND_PREDICATE = rf"(?:wounded|injured|hurt|hospitali[sz]ed|maimed|shot(?:\s+(?:multiple|several)\s+times)?(?:\s+and\s+|\s*[,&]\s*)" \
                   rf"(?:critically\s+|seriously\s+)?(?:wounded|hurt|injured)|" \
                   rf"recovering|{_ALIVE}|(?:almost|nearly|narrowly\s+escaped\s+being)\s+killed)"
_RIGHT_WOUND = re.compile(rf"^{_TAIL}\s*(?:remains?\s+|remained\s+)?{_AUX}{_ADV}{_WOUND_PREDICATE}\b", re.IGNORECASE)
_COORD = re.compile(rf"^\s*(?:,\s*)?(?:{_COORDINATOR}|or|,)\s*$", re.IGNORECASE)


# a stem of every word a left cue (``_LEFT_KILL``, ``_LEFT_WOUND``) ends in: without one, no regex is run (speed)
_LEFT_STEMS = ("kill", "slay", "slew", "massac", "murder", "execut", "fatal", "dead", "death", "bod", "wound", "injur",
               "hurt", "maim")


# an infinitive's verb states no casualty: "threatened [to kill] election officials", "an operation [to kill] leaders"
# (MUC-4 TST2-MUC4-0067 and -0074); a gerund after "to" does ("admitted to killing [Jamal Berry]")
_INFINITIVE = re.compile(r"\bto\s+(?!\w+ing\b)\w+\s+$", re.IGNORECASE)


def _left_cue(text: str, start: int) -> str | None:
    left = text[max(0, start - 40):start]
    lower = left.lower()
    if not any(stem in lower for stem in _LEFT_STEMS) or _INFINITIVE.search(left):
        return None
    if _LEFT_KILL.search(left):
        return "killed"
    if _LEFT_WOUND.search(left):
        return "wounded"
    return None


# an aside between a phrase and its predicate: an acronym or age in brackets ("One Station House Officer [(SHO)],
# identified as Shabir Ahmad, was killed"), a comma aside that names, counts in or places the person (", identified
# as X,", ", including a teacher,", ", a resident of Y,"), a bare age in a digest without commas ("Aju [40] was shot
# dead")
_ASIDE = re.compile(r"\s*\([^()\n]{1,40}\)|\s*,\s*(?:identified\s+as|named|including|among\s+them|aged?|"
                    r"(?:a\s+)?residents?\s+of|(?:the\s+)?(?:son|daughter|wife|husband|brother|father|mother)\s+of)\b"
                    r"(?:[^,.;:!?()\n]|\([^()\n]{1,20}\)){1,60},|"
                    r"\s+\d{1,3}(?=\s+(?:was|were|is|has|had|died|succumbed)\b)", re.IGNORECASE)


def after_asides(text: str, end: int, most: int = 2) -> int:
    """Where the predicate of a phrase ending at ``end`` starts once up to ``most`` asides are passed over
    (``end`` itself when none follows).

    >>> t = "One Station House Officer (SHO), identified as Shabir Ahmad, was killed"
    >>> t[after_asides(t, t.index(" (SHO)")):]
    ' was killed'
    """
    for _ in range(most):
        m = _ASIDE.match(text, end)
        if not m:
            break
        end = m.end()
    return end


def _right_cue(text: str, end: int) -> str | None:
    for at in dict.fromkeys((end, after_asides(text, end))):  # the words right after it, then past its asides
        right = text[at:at + 60]
        if _RIGHT_KILL.match(right):
            return "killed"
        if _RIGHT_WOUND.match(right):
            return "wounded"
    return None


def casualty_cue(text: str, start: int, end: int) -> str | None:
    """"killed", "wounded" or None: the kind of casualty the words next to ``text[start:end]`` state.

    >>> t = "A bomb exploded, killing four people and wounding 23, police said."
    >>> casualty_cue(t, t.index("four"), t.index(" and")), casualty_cue(t, t.index("23"), t.index(", police"))
    ('killed', 'wounded')
    >>> t = "Nine soldiers died and eleven were seriously wounded."
    >>> casualty_cue(t, 0, 13), casualty_cue(t, t.index("eleven"), t.index(" were"))
    ('killed', 'wounded')
    >>> casualty_cue("Three men were arrested.", 0, 9) is None
    True
    >>> [casualty_cue(t, 0, 5) for t in ("A man was shot in the leg.", "A man is in critical condition.",
    ...                                  "A man was fatally shot.", "A man was pronounced dead.")]
    ['wounded', 'wounded', 'killed', 'killed']
    >>> t = "Gunmen killed two soldiers in the side street; two hostages in the hands of the rebels"
    >>> casualty_cue(t, t.index("two s"), t.index(" in the side")), casualty_cue(t, t.index("two h"), t.index(" in the h"))
    ('killed', None)
    >>> casualty_cue("The daughter, Nadine Elkashes, was almost killed also.", 15, 30)
    'wounded'
    >>> t = "The rebels threatened to kill election officials; gunmen killed two judges."
    >>> casualty_cue(t, t.index("election"), t.index(";")), casualty_cue(t, t.index("two j"), len(t) - 1)
    (None, 'killed')
    >>> t = "A round hit a nearby man in the leg. The victim, a 22-year-old man, sustained a gunshot wound."
    >>> casualty_cue(t, t.index("a nearby"), t.index(" in the leg")), casualty_cue(t, t.index("a 22"), t.index(", sus"))
    ('wounded', 'wounded')
    """
    return _left_cue(text, start) or _right_cue(text, end)


# the phrase's own death after it: an auxiliary of the passive or an intransitive verb, the rest of a cut phrase allowed
# ("[two militants] were killed", "[Three] militants were killed", "[the gunman] later died"), never an active verb
_OWN_DEATH = re.compile(r"\s*,?\s*(?:(?!shot\b|killed\b|gunned\b|stabbed\b|murdered\b)[\w-]+\s+){0,3}?(?:were|was|is|are|"
                        r"been|being|got|died|dies|dead|succumb\w*|perished|lost\s+(?:their|his|her)\s+li(?:fe|ves))\b",
                        re.IGNORECASE)


def dies_itself(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is stated to die (:func:`casualty_cue` says killed) rather than to kill: a killing
    verb governs it ("the Police killed [two militants]") or its predicate is passive or intransitive ("[two militants]
    were killed"); an active verb after it is its deed, whatever ``casualty_cue`` reads ("Suspected Maoist [insurgents]
    shot dead two police constables": the constables are no person noun the cue knows as its object).

    >>> t = "Suspected Maoist insurgents shot dead two police constables. Police killed two militants."
    >>> dies_itself(t, t.index("insurgents"), t.index(" shot")), dies_itself(t, t.index("two m"), len(t) - 1)
    (False, True)
    """
    left = _left_cue(text, start)  # casualty_cue's own order: the verb that governs it first, then its predicate
    if left is not None:
        return left == "killed"
    return _right_cue(text, end) == "killed" and any(_OWN_DEATH.match(text, at)
                                                       for at in dict.fromkeys((end, after_asides(text, end))))


# a sentence ends at . ! ? (and closing quotes) before a capital or digit, or at a blank line; a line break alone
# does not end one (MUC-4 wraps its lines inside sentences)
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n")


# words without which a report states no death: "killed", "dead", "died", "fatal", "homicide", "body", "toll" ...
# ("lives" only where lost or taken: "lost their lives", "claimed 12 lives"; "who lives nearby", "the lives of"; no
# attempt: "charged with attempted murder", "tried to kill her")
_NO_ATTEMPT = r"(?<!attempted\s)(?<!attempt\sto\s)(?<!attempted\sto\s)(?<!attempting\sto\s)(?<!tried\sto\s)"
_DEATH = re.compile(rf"\b(?:{_NO_ATTEMPT}(?:kill\w*|murder\w*|homicides?)|dead|deaths?|died|dies|dying|die|fatal\w*|slain|slay\w*|"
                    r"assassinat\w*|massacr\w*|execut\w*|lifeless|bod(?:y|ies)|corpses?|perish\w*|toll|"
                    r"(?:los[te]|losing|claim\w*|t[oa]ok|takes?|taking|cost\w*)\s+(?:[\w'’]+\s+){0,3}?li(?:fe|ves)|"
                    r"succumb\w*|deceased|coroner|manslaughter|beheaded|lynch\w*)\b", re.IGNORECASE)


# words of a wound or of its care: "wounded", "injuries", "casualties", "hospitalized", "critical condition", "fighting
# for his life", "shot in the leg"
_WOUND_WORD = re.compile(r"\b(?:wound\w*|injur\w*|casualt\w*|hurt\w*|hospital\w*|condition|critical\w*|grazed|maim\w*|"
                         r"recover\w*|treated|surgery|bullet|survived?|fighting\s+for\s+(?:his|her|their)\s+li(?:fe|ves)|"
                         rf"in\s+the\s+(?:(?:left|right|upper|lower)\s+)?(?:{_TRUNK}|{_LIMBS}))\b", re.IGNORECASE)


def speaks_of_a_wound(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` has a word of a wound or of its care ("wounded", "injuries", "hospital",
    "critical condition", "in the leg").

    >>> [speaks_of_a_wound(t) for t in ("He was taken to a hospital.", "His brother said he was a good man.")]
    [True, False]
    """
    return bool(_WOUND_WORD.search(text, start, len(text) if end is None else end))


# what hurts a person, beside the words of a wound: "[A man] was shot during a robbery", "[a woman] was attacked"
_HARM = re.compile(r"\b(?:shot|shoot\w*|gunshots?|gunfire|stabb\w*|hit(?:s|ting)?|struck|attack\w*|assault\w*|"
                   r"beat(?:en|ing)?|burn\w*|blast|explosion|bomb\w*|fir(?:ed|ing)\s+(?:at|on|upon))\b", re.IGNORECASE)


def speaks_of_harm(text: str, start: int = 0, end: int | None = None) -> bool:
    """:func:`speaks_of_a_wound`, or a word of what hurts a person ("shot", "attacked", "hitting", "blast").

    >>> [speaks_of_harm(t) for t in ("A man was shot during a robbery.", "Maoists set ablaze a bus.")]
    [True, False]
    """
    return speaks_of_a_wound(text, start, end) or bool(_HARM.search(text, start, len(text) if end is None else end))


def states_a_death(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether the report (or ``text[start:end]``, a sentence of it) has any word that states a death ("killed",
    "dead", "died", "fatally", "body", "homicide", "toll" ...). Without one, nobody in it is killed.

    >>> [states_a_death(t) for t in ("A man was shot during a robbery and taken to hospital.", "He died.",
    ...                              "A woman who lives nearby was hurt.", "The attacks claimed 12 lives.")]
    [False, True, False, True]
    >>> [states_a_death(t) for t in ("He was charged with attempted murder.", "He tried to kill her.",
    ...                              "He was charged with murder.")]
    [False, False, True]
    >>> t = "A bomb killed the attorney general. There were seven children in the house."
    >>> states_a_death(t, 0, 35), states_a_death(t, 36)
    (True, False)
    """
    return bool(_DEATH.search(text, start, len(text) if end is None else end))


def casualty_cues(text: str, extents: Sequence[tuple[int, int]]) -> list[str | None]:
    """:func:`casualty_cue` of each of ``extents`` (casualty phrases, in text order), where a phrase with no
    cue of its own that is coordinated with the next one ("[the driver] and [four passengers] were killed")
    takes the next one's predicate. In a report that states no death (:func:`states_a_death`) every phrase is
    wounded: "[A man] was shot during a robbery" is a casualty, and nothing says he died.

    >>> t = "The driver and four passengers were killed."
    >>> casualty_cues(t, [(0, 10), (15, 30)])
    ['killed', 'killed']
    >>> casualty_cues("A man was shot during a robbery.", [(0, 5)])
    ['wounded']
    """
    if not states_a_death(text):
        return ["wounded"] * len(extents)
    cues: list[str | None] = [casualty_cue(text, s, e) for s, e in extents]
    # the predicate right of each phrase, or of the last phrase of a coordination it begins
    predicate: list[str | None] = [_right_cue(text, e) for _, e in extents]
    for k in range(len(extents) - 2, -1, -1):
        if predicate[k] is None and _COORD.match(text[extents[k][1]:extents[k + 1][0]]):
            predicate[k] = predicate[k + 1]
        if cues[k] is None:
            cues[k] = predicate[k]
    return cues
