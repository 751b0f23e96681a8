"""Killed and wounded counts on modern South Asian incident digests (SATP dev), against counts read by hand.

    python bench/satp_counts.py --model runs/quickstart [--model runs/news] [--show] [--train]

SATP (``../shared/data/satp/dev.tsv``, SOURCE.md there) labels attack types only. The first 125 reports of its dev
split, in file order (none picked), were read by hand on 2026-12-06 and the people killed and wounded in the
incident(s) each report tells as news were written down in ``GOLD`` below, keyed by line number and the first 8
hex digits of the SHA-1 of the report's text (the text itself stays in ``../shared``). The other 107 (lines 125-231)
were written down on 2026-12-07 by two annotation passes under the same rules, which agreed on every figure;
three figures they called arguable are left open (``None``: 142 wounded, 188 and 221 killed). A third pass over 30
of them drawn at random agreed on 29; the 30th is 221. The rules of that reading:

* everyone killed counts, attackers too ("three policemen and two militants were killed" = 5), as GTD's nkill and
  ACLED's fatalities do. MUC-4's keys and GVDB's victim lists count victims only, and the count rules follow them
  (an attacker's or fighter's noun is no stated casualty; "militant" is no person noun of ``counts.PERSON_NOUNS``):
  the reports whose dead include attackers (``ATTACKERS_KILLED``, 18 of the 78 with deaths) are scored, and the
  killed figure is also printed without them;
* people killed or hurt in an earlier incident the report recalls are not counted ("a day after they killed four
  other auxiliary constables" = 0), nor a conflict's running toll ("leaving 40 dead");
* the wounded are the people hurt who did not die ("injuring 10 ... three of them later succumbed" = 7);
* ``"10+"`` is a figure the text gives as a lower bound ("At least 10 persons"); ``None`` marks a count the text
  leaves open either way ("injuring many others", "eight were injured ... one succumbed": 7 or 8), left out.

The records' ``killed`` counts victims; ``total_killed`` (``killed`` + ``perpetrators_killed``, GTD's nkill) is
scored against the same figures on every report ("everyone killed").

A count is right when the record's ``casualties`` give it: ``count == n`` for a plain figure, ``min == n`` for a
lower bound (``max`` open or not). False alarms are reports with gold 0 whose record has a count or ``min`` above 0.
Rows are split by line parity: **even lines may be read** to find what a count rule misses, **odd lines are kept
unread** and reported apart, so a rule read off the even half can be checked on the odd half. Lines 125-231 are a
third group, also kept unread (from ``FRESH`` on; the line parity does not split them). ``--train`` scores instead the
first 160 reports of SATP's train split (``TRAIN_GOLD``, written down the same way), a second set that may be read.
None of the first 125 dev reports was looked at before their table was written; ``configs/news.yaml`` trains its attack types on SATP's train split and
tunes thresholds on this dev split, but no model learns counts from SATP.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

SATP_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "satp" / "dev.tsv"

# line: (sha1[:8], killed, wounded)
GOLD: dict[int, tuple[str, int | str | None, int | str | None]] = {
    0: ("350d38dc", 0, 0), 1: ("6d8d3616", 1, 0), 2: ("130c3ceb", 0, 0), 3: ("b2a0c3a4", 1, 4),
    4: ("0fb46516", 1, 0), 5: ("92ff58fc", 1, 4), 6: ("55032c92", 1, 4), 7: ("5f3a17b9", 0, 0),
    8: ("f2464ae4", 0, 0), 9: ("bed25622", "5+", 4), 10: ("077eaf82", 0, 0), 11: ("206c71bf", 2, 0),
    12: ("90a4199d", 0, 0), 13: ("de50bdd5", 5, 1), 14: ("5318f601", 0, 0), 15: ("4596691d", "10+", 40),
    16: ("ff013bc6", 6, 0), 17: ("34a88629", 17, 0), 18: ("0cff6d99", 0, 3), 19: ("ebceb4a0", 1, 0),
    20: ("a1c883c9", 1, 1), 21: ("d7f07f01", 1, 0), 22: ("07d2bab9", 0, 0), 23: ("8fa27128", 2, 2),
    24: ("1a3c0081", 0, 2), 25: ("021a0c3b", 0, 4), 26: ("d816109d", 3, 5), 27: ("14101348", 0, 0),
    28: ("a87c4b5a", 0, 0), 29: ("472a37f3", 3, 1), 30: ("a646e3f5", 4, 5), 31: ("a96e1bff", 1, 0),
    32: ("80277e7b", 1, 0), 33: ("d6c31170", 0, 1), 34: ("5c6d56f2", 4, 1), 35: ("4bf51044", 0, 1),
    36: ("b6628dd6", 1, 0), 37: ("e3649a4e", 1, 0), 38: ("f00aee11", 5, None), 39: ("7580f5c1", 1, 2),
    40: ("882fdde4", 1, 0), 41: ("0c54d111", 1, 1), 42: ("991c12ac", 0, 0), 43: ("4c3afe80", 3, 7),
    44: ("c8962a72", 0, 1), 45: ("9200be8d", 8, None), 46: ("812cea8f", 1, None), 47: ("641538d8", 1, 3),
    48: ("6cb51172", 0, 3), 49: ("0887a381", 1, 0), 50: ("828238c5", 3, 1), 51: ("3482f173", 3, 3),
    52: ("390550c6", 4, 1), 53: ("4857f962", 5, 0), 54: ("2607559e", 3, 0), 55: ("0b39c352", 0, "7+"),
    56: ("d17a2509", 1, 3), 57: ("d8db0e76", 0, 0), 58: ("4575f0e5", 0, 0), 59: ("5cba62ba", 1, 2),
    60: ("7bea219b", 0, 0), 61: ("eca6fba1", 1, "13+"), 62: ("1f2c8ade", 0, 0), 63: ("1939d9d0", 0, 0),
    64: ("21837da0", 3, 3), 65: ("7aba7137", 1, 0), 66: ("e6d39627", 1, 1), 67: ("27d78e9e", 0, 3),
    68: ("60bdf2bb", 1, None), 69: ("886f6252", 3, 0), 70: ("b601fa0f", 0, 0), 71: ("0f1a3f6b", 0, 1),
    72: ("e5866f13", 0, 1), 73: ("de856fe5", 0, 0), 74: ("f3923d84", 0, 1), 75: ("4356a03c", "27+", 0),
    76: ("fed350f0", 0, 0), 77: ("c792ebff", 0, 0), 78: ("bbb5a9f1", 4, 0), 79: ("5d610f00", 1, 0),
    80: ("2175dd55", 3, 7), 81: ("43392184", 1, 0), 82: ("b29c3728", 0, None), 83: ("f3cfff65", 2, 1),
    84: ("d97a69c4", "4+", 4), 85: ("0ef40ddf", 2, 0), 86: ("d04d12f5", 1, 0), 87: ("80e3d40d", 0, 0),
    88: ("a6a30fa7", 1, 0), 89: ("74d36f5c", 3, 0), 90: ("7485de02", 0, 0), 91: ("5ccc325e", 2, 0),
    92: ("9bf3c9fb", 2, 3), 93: ("3051cb7f", 0, 0), 94: ("5c529fb9", 0, 0), 95: ("3c462d46", 1, 1),
    96: ("dab2c2f8", "19+", 71), 97: ("fe134476", 0, 1), 98: ("042d7a7c", 1, 0), 99: ("ee5ab5c3", 0, 0),
    100: ("68b68e03", 0, 2), 101: ("d5a0843e", 0, 0), 102: ("f6fb904c", 1, 4), 103: ("b621cfc9", 1, 0),
    104: ("cc81b281", 1, 0), 105: ("754db8d6", 1, 0), 106: ("cb24bcf4", 1, 5), 107: ("8a07f303", 1, 1),
    108: ("0e2ef6fe", 0, 0), 109: ("c3be6edc", "2+", 0), 110: ("6ea27a4f", 2, 0), 111: ("94548b57", 1, 0),
    112: ("f453a527", 3, "100+"), 113: ("ebfa7ac3", 1, 0), 114: ("fa0e49a9", 0, "6+"), 115: ("8da82667", 0, 0),
    116: ("f8d41f49", 1, 0), 117: ("af5344ba", 1, 0), 118: ("a5f0b9fc", 1, 0), 119: ("3ea54387", 0, 0),
    120: ("8132a703", "6+", 50), 121: ("96e5a436", 0, 0), 122: ("c7da0313", 1, 0), 123: ("f8ab6dcf", 0, 0),
    124: ("0acd1a35", 1, 0),
    # lines 125-231 (the rest of the split): written down on 2026-12-07 by two annotation passes that read the reports
    # under the rules above (they agreed on all 107), never by anyone writing a count rule; 130 and 147 are one report
    125: ("117f0101", 1, 0), 126: ("adcb2390", 2, 0), 127: ("cdcb526b", 1, 2), 128: ("41b87e6f", 2, 0),
    129: ("d878d167", 0, 1), 130: ("0d7ced79", 4, 0), 131: ("a7eff04c", 0, "3+"), 132: ("58d97f4c", 0, 2),
    133: ("0d227d61", 0, 0), 134: ("87ceb88a", 0, 0), 135: ("d276b505", 0, 1), 136: ("3aec4946", 0, 0),
    137: ("b81259ab", 2, 3), 138: ("2f492e93", 0, 2), 139: ("65d75216", 0, 0), 140: ("b269c269", 1, 0),
    141: ("441bdd67", 0, 1), 142: ("62a99143", "12+", None), 143: ("708f6ef7", 1, 8), 144: ("990dccc8", 1, 0),
    145: ("d383d9cb", 1, 0), 146: ("e039cdbb", 0, 1), 147: ("0d7ced79", 4, 0), 148: ("9ea16423", 2, 1),
    149: ("303cbce6", 5, 1), 150: ("b1905d98", 0, 2), 151: ("4ab41182", 1, None), 152: ("ea8a57e7", 0, 0),
    153: ("a514c68f", 0, 2), 154: ("fd24adb4", 0, "3+"), 155: ("5f1b782b", 8, "4+"), 156: ("676813e6", 1, 0),
    157: ("9ebf9a13", 1, 0), 158: ("3d6958e0", 0, 0), 159: ("27f5dafb", 0, 0), 160: ("b616db48", 0, 0),
    161: ("96189043", "7+", 8), 162: ("d8614181", 0, 0), 163: ("43879fcd", 0, 0), 164: ("c4adb6a0", 0, 0),
    165: ("42f8b97a", 7, 0), 166: ("a5bff74a", 1, 0), 167: ("36a0d765", 0, 2), 168: ("5029ea82", 0, 0),
    169: ("2e3512c2", 0, 0), 170: ("af201c08", 0, 0), 171: ("854794c8", 0, "4+"), 172: ("4176368a", 0, 0),
    173: ("70bd5227", 0, "4+"), 174: ("a7c74c36", 5, 2), 175: ("5fc2628f", 1, 0), 176: ("0fd27d14", 2, 3),
    177: ("c55f3529", 0, None), 178: ("9d4ad457", 0, 0), 179: ("91637622", 2, 0), 180: ("549cd6cc", 2, 20),
    181: ("b0252a49", 7, 6), 182: ("a8cf1b9c", 1, 0), 183: ("035aada1", 1, 3), 184: ("a7125370", 0, "1+"),
    185: ("a70df1b2", 2, 18), 186: ("ffbfa8c1", 0, 0), 187: ("6720ad56", 1, 0), 188: ("6d228a46", None, 8),
    189: ("062f5d02", "45+", 70), 190: ("9c119b0d", 1, 4), 191: ("7ab2700e", 0, 12), 192: ("939af48d", 0, 0),
    193: ("33ebd939", 2, 0), 194: ("73378383", 0, 0), 195: ("44800e00", 0, 3), 196: ("a156af99", "2+", 25),
    197: ("11161223", 2, 0), 198: ("2b677e48", "28+", "45+"), 199: ("1d24f5a5", 5, 1), 200: ("23209568", 0, 1),
    201: ("ddd96cdd", 4, 0), 202: ("7125c33c", 1, 0), 203: ("dc7bb2f7", 1, 0), 204: ("1ae27605", 0, 0),
    205: ("5684b237", 0, 3), 206: ("4616eda8", 1, 0), 207: ("56b3707a", 0, 6), 208: ("ff53162d", 5, 2),
    209: ("e43f3ace", 0, None), 210: ("ac666478", 1, "12+"), 211: ("a4279143", "2+", 1), 212: ("25726b11", 1, 0),
    213: ("7024a1ac", 4, 0), 214: ("108d25e0", 1, 0), 215: ("78b867d3", 7, 3), 216: ("74daff71", 0, 2),
    217: ("db22f641", 1, 0), 218: ("e6e0073b", 1, 0), 219: ("d8b10d1a", "3+", 0), 220: ("1c0a1690", "4+", 9),
    221: ("5e09c4b0", None, 0), 222: ("beca00c0", 2, 3), 223: ("3302f39f", 0, 0), 224: ("a545fec7", 0, 0),
    225: ("5221b92c", "3+", 4), 226: ("3d8033d1", 0, 0), 227: ("94bbcde7", 0, 0), 228: ("cd7aef1f", 0, 0),
    229: ("07e2c956", 0, 1), 230: ("ed3f5ad6", 1, 14), 231: ("3eb6aac0", "10+", "85+"),
}


# reports whose killed count includes attackers or militants killed by security forces or in the attack itself
ATTACKERS_KILLED = frozenset({9, 13, 17, 23, 30, 34, 38, 45, 52, 53, 64, 75, 78, 80, 103, 105, 110, 122,
                              137, 151, 155, 174, 190, 208, 210, 219})
FRESH = 125  # lines from here on were read only by the annotation passes (see GOLD)

SATP_TRAIN = SATP_DEV.with_name("train.tsv")
# the first 160 reports of SATP's train split, written down on 2026-12-07 by annotation passes under the same rules, for
# reading what a count rule misses (``--train``: one group, read); 4 and 69 give the text's "at least" (a suicide
# bomber may or may not be in it)
TRAIN_GOLD: dict[int, tuple[str, int | str | None, int | str | None]] = {
    0: ("cb915e11", 0, 0), 1: ("140c5672", 3, 1), 2: ("afbf671e", 1, 0), 3: ("a5b37d58", 0, 0),
    4: ("86887a74", "8+", 11), 5: ("d878892d", 0, 0), 6: ("d834b8b9", 4, 0), 7: ("8e92ba90", 0, 5),
    8: ("acb7fbc6", 3, 0), 9: ("06a4b011", 4, 2), 10: ("d2a1f442", 0, 12), 11: ("9d84f1e4", 0, 0),
    12: ("be1af514", 4, "6+"), 13: ("88cc7777", 0, 0), 14: ("f56fa635", 3, 0), 15: ("a95f892f", 1, 0),
    16: ("4a9033c5", 0, 0), 17: ("0ca8eff8", 1, 0), 18: ("72d4adee", 4, 0), 19: ("c562e389", "20+", None),
    20: ("ad78d03f", 0, 0), 21: ("0142a973", 1, 0), 22: ("02e9e522", 0, 0), 23: ("0d9d21fe", 1, 4),
    24: ("3ddadc37", 0, 3), 25: ("e33e566a", 0, 2), 26: ("a1db25da", 1, 2), 27: ("991ef710", 0, 0),
    28: ("5a061d4a", 0, 0), 29: ("a658c501", 0, 1), 30: ("6500dd19", 1, 0), 31: ("0cf877fd", 0, 0),
    32: ("70b78d09", 2, 0), 33: ("797c48b1", 1, 1), 34: ("78cdf9b0", 1, 2), 35: ("68138a83", 0, 3),
    36: ("e4ce2a9b", 1, 0), 37: ("dbd89101", 1, 0), 38: ("c5712047", 0, 0), 39: ("49d18f2a", "7+", 0),
    40: ("c735ab6a", 0, 0), 41: ("7440da83", 3, 1), 42: ("6075bde5", 0, 0), 43: ("37aaf48d", 0, 0),
    44: ("2601ddab", 1, 0), 45: ("c36956fa", 0, "10+"), 46: ("c8c08ba5", 0, 0), 47: ("504bd3d4", 1, 0),
    48: ("f0762a2f", 1, 1), 49: ("cd65baaf", 0, 0), 50: ("bc9cd242", 0, 1), 51: ("642cf74e", "4+", 0),
    52: ("10da421c", 1, "8+"), 53: ("3c5718e3", 17, 0), 54: ("23c41c60", 0, 0), 55: ("4b22af0c", 1, 0),
    56: ("6a591945", 0, 2), 57: ("e08fbe5a", 0, 0), 58: ("88314a2c", 1, 2), 59: ("4bc3def5", 0, 0),
    60: ("10817dcd", 0, 0), 61: ("e975668a", None, 2), 62: ("466f5d70", 1, 2), 63: ("fb3ce55a", 0, 0),
    64: ("002cf498", 1, 0), 65: ("57c74de9", 1, 0), 66: ("03f8ce92", 2, 4), 67: ("71c8aa60", 1, None),
    68: ("9308d8d1", 1, 0), 69: ("813e6b64", "9+", 13), 70: ("947bdf71", 0, 5), 71: ("1a63892e", 0, 1),
    72: ("36d44624", 2, 0), 73: ("f5c4c099", 1, 1), 74: ("46ba04dd", 1, 0), 75: ("25fbe2a3", 0, "4+"),
    76: ("4ffee04a", 1, 0), 77: ("d9942e38", 0, 0), 78: ("52989245", "8+", 0), 79: ("38f6fa56", 2, 0),
    80: ("da3152d1", 0, 0), 81: ("70d27030", 1, 2), 82: ("59dfebe0", 1, 0), 83: ("e612798a", 0, None),
    84: ("8244c0fb", "15+", 5), 85: ("d7edf460", 0, 0), 86: ("30694cc3", 2, 1), 87: ("23cab5a9", 1, 1),
    88: ("8f1fa5a5", 0, 1), 89: ("5c43cb33", 1, 2), 90: ("3ff694c7", 1, 1), 91: ("3db7cf68", 0, 0),
    92: ("e2031f13", 0, 0), 93: ("c4fc40bb", 0, 4), 94: ("077ffb73", 0, 0), 95: ("6274357a", 1, 0),
    96: ("fd8df4bb", 0, 0), 97: ("696e9389", 3, 2), 98: ("232e4864", 0, 0), 99: ("6003cb47", 0, 1),
    100: ("2cdecd49", 1, 0), 101: ("f25a1f75", 2, 0), 102: ("8625652b", 1, 0), 103: ("95c73fec", 0, 0),
    104: ("ba671499", 1, 0), 105: ("e841da46", 1, 0), 106: ("02eef869", 1, 13), 107: ("e227e703", 1, 0),
    108: ("0065de2a", 0, 3), 109: ("d753d205", 1, 1), 110: ("7e8df758", 0, 0), 111: ("4c170933", 0, 0),
    112: ("4bd19fd6", 1, 1), 113: ("c925266c", 0, 0), 114: ("77560d8f", 0, 0), 115: ("28f1f37e", 0, 0),
    116: ("c0d8ffd2", 0, 1), 117: ("e24d9a58", 13, 5), 118: ("0e55e369", 0, 0), 119: ("4e11f262", 0, 0),
    120: ("d0d44b75", 0, 0), 121: ("bbc146ce", 1, 0), 122: ("65404314", 1, 0), 123: ("88a7c424", 1, 1),
    124: ("af079332", 0, 0), 125: ("3eb67445", 0, 0), 126: ("61d4909d", 0, 0), 127: ("5bd30a0b", 14, 0),
    128: ("ed16fed5", 0, 0), 129: ("1469f6bc", "3+", None), 130: ("b6d81eaf", 0, 1), 131: ("4d335f7b", 1, 0),
    132: ("fb76333d", 0, 3), 133: ("d828cc97", "7+", 13), 134: ("796d33ee", 0, 1), 135: ("254e9365", 1, 0),
    136: ("024a79dc", 1, 0), 137: ("ac113664", 6, 0), 138: ("dd1dfe95", 0, 0), 139: ("1e989553", 3, 0),
    140: ("d51074b3", 2, 0), 141: ("18f6f175", 2, 2), 142: ("aada7d9c", 2, 2), 143: ("3f571337", 0, "3+"),
    144: ("5550762c", 0, 1), 145: ("8bee440f", 0, 6), 146: ("87b68aea", 1, 11), 147: ("27319a9d", 0, 0),
    148: ("618184bd", 1, 0), 149: ("4ad07b78", 1, 1), 150: ("ac879383", 0, 0), 151: ("32247192", 0, 0),
    152: ("8af8b81f", 0, 0), 153: ("9082cbb6", 0, 2), 154: ("5aa9aa77", 0, 2), 155: ("517a28d7", 0, 0),
    156: ("236cbe3b", 1, 0), 157: ("525c5783", 1, 0), 158: ("db07aa06", 0, 2), 159: ("8e9c5eb5", 2, 0),
}
TRAIN_ATTACKERS_KILLED = frozenset({1, 9, 12, 51, 53, 61, 79, 84, 86, 97, 107, 117, 123, 127, 133, 137, 139, 140, 141,
                                    156})


def load_reports(path: Path = SATP_DEV, gold: dict[int, tuple[str, Any, Any]] | None = None) -> list[dict[str, Any]]:
    """The annotated reports (``GOLD``, or ``TRAIN_GOLD`` with ``SATP_TRAIN``): ``{"line", "text", "killed",
    "wounded"}``; a changed file is an error, not a score."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for line, (digest, killed, wounded) in (GOLD if gold is None else gold).items():
        text = lines[line].split("\t")[0]
        if hashlib.sha1(text.encode("utf-8")).hexdigest()[:8] != digest:
            raise SystemExit(f"{path}:{line + 1}: the text is not the one annotated (sha1 {digest}...)")
        out.append({"line": line, "text": text, "killed": killed, "wounded": wounded})
    return out


def is_right(gold: int | str, pred: dict[str, Any]) -> bool:
    """Whether a record's count (``{"count", "min", "max"}``) says what the text says.

    >>> is_right(3, {"count": 3, "min": 3, "max": 3}), is_right("10+", {"count": None, "min": 10, "max": None})
    (True, True)
    >>> is_right(0, {"count": None, "min": None, "max": None}), is_right(0, {"count": 1, "min": 1, "max": 1})
    (True, False)
    """
    if isinstance(gold, str):
        return pred.get("min") == int(gold.rstrip("+"))
    if gold == 0:
        return not ((pred.get("count") or 0) > 0 or (pred.get("min") or 0) > 0)
    return pred.get("count") == gold


def score(reports: list[dict[str, Any]], records: list[dict[str, Any]], kind: str, skip: frozenset[int] = frozenset(),
          field: str | None = None, train: bool = False) -> dict[str, Any]:
    """Right on reports with gold > 0 and false alarms on gold 0, per group (dev: even lines read, odd lines and
    125-231 unread; ``train``: the train reports of ``TRAIN_GOLD``, one group); the
    lines of ``skip`` left out. ``field``: the record's count scored against gold ``kind`` (default ``kind``:
    ``"total_killed"`` against ``"killed"`` scores everyone killed, perpetrators too)."""
    out: dict[str, Any] = {}
    groups: dict[str, Callable[[int], bool]] = {"train": lambda line: True} if train else {
        "even (read)": lambda line: line < FRESH and line % 2 == 0,
        "odd (unread)": lambda line: line < FRESH and line % 2 == 1,
        "125-231 (unread)": lambda line: line >= FRESH}
    for half, member in groups.items():
        pairs = [(r, rec["casualties"][field or kind]) for r, rec in zip(reports, records, strict=True)
                 if member(r["line"]) and r[kind] is not None and r["line"] not in skip]
        pos = [(r, p) for r, p in pairs if r[kind] != 0]
        zero = [(r, p) for r, p in pairs if r[kind] == 0]
        out[half] = {"right": sum(is_right(r[kind], p) for r, p in pos), "n": len(pos),
                     "false_alarms": sum(not is_right(0, p) for _, p in zero), "n_zero": len(zero),
                     "wrong": [(r["line"], r[kind], p.get("count"), p.get("min"), p.get("max"), p.get("text"))
                               for r, p in pos + zero if not is_right(r[kind], p)]}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", action="append", required=True)
    ap.add_argument("--show", action="store_true", help="list the wrong counts of the read reports")
    ap.add_argument("--train", action="store_true", help="score the 160 train reports of TRAIN_GOLD (read) instead")
    ap.add_argument("--json", type=Path, help="write every record here")
    args = ap.parse_args(argv)
    from incidex import Predictor

    reports = load_reports(SATP_TRAIN, TRAIN_GOLD) if args.train else load_reports()
    attackers, read = (TRAIN_ATTACKERS_KILLED, "train") if args.train else (ATTACKERS_KILLED, "even (read)")
    dump = {}
    for model in args.model:
        records = Predictor(model).predict([r["text"] for r in reports])
        dump[model] = records
        print(f"== {model}")
        for kind in ("killed", "wounded"):
            s = score(reports, records, kind, train=args.train)
            for half, f in s.items():
                print(f"  {kind:<8}{half:<14} right {f['right']:>2} of {f['n']:>2}   false alarms {f['false_alarms']}"
                      f" of {f['n_zero']}")
            if args.show:
                for w in s[read]["wrong"]:
                    print("     line", *w)
        for half, f in score(reports, records, "killed", attackers, train=args.train).items():
            print(f"  killed  {half:<14} right {f['right']:>2} of {f['n']:>2}   (reports whose dead include no attacker)")
        if "total_killed" in records[0]["casualties"]:  # models predicted by code since perpetrators_killed exists
            for half, f in score(reports, records, "killed", field="total_killed", train=args.train).items():
                print(f"  everyone killed {half:<14} right {f['right']:>2} of {f['n']:>2}   false alarms "
                      f"{f['false_alarms']} of {f['n_zero']}   (total_killed: killed + perpetrators_killed)")
    if args.json:
        args.json.write_text(json.dumps(dump, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
