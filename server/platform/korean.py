"""Korean particles (josa) chosen from the word before them, as a person writing Korean would.

A message written for any name carries both forms, `이(가)`, `을(를)`, `은(는)`, `과(와)`, `(으)로`;
once the name is filled in, `particles` keeps the one that fits: 이/을/은/과/으로 after a final consonant
(batchim), 가/를/는/와/로 after a vowel, and 로 after ㄹ. Digits are read as Korean numerals (1 일, 10 십),
Latin letters by how they are said (an acronym letter by letter: LG 엘지, KT 케이티). When the last sound
cannot be told (a symbol), both forms stay.
"""

from __future__ import annotations

import re

# particle as written in a message -> (after a final consonant, after a vowel)
_PAIRS = {
    "이(가)": ("이", "가"),
    "가(이)": ("이", "가"),
    "을(를)": ("을", "를"),
    "를(을)": ("을", "를"),
    "은(는)": ("은", "는"),
    "는(은)": ("은", "는"),
    "과(와)": ("과", "와"),
    "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"),
}
_PATTERN = re.compile("|".join(re.escape(p) for p in _PAIRS))
_CLOSERS = ")]}」』》〉\"'”’"
# Final sound of each digit read as a Sino-Korean numeral: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGITS = {
    "0": "other",
    "1": "ㄹ",
    "2": "",
    "3": "other",
    "4": "",
    "5": "",
    "6": "other",
    "7": "ㄹ",
    "8": "ㄹ",
    "9": "",
}
# Letter names as said in Korean: 엘, 엠, 엔, 알 end in a consonant; the rest (에이, 비, 씨, …) in a vowel.
_LETTER_NAMES = {"l": "ㄹ", "r": "ㄹ", "m": "other", "n": "other"}


def final_sound(word: str) -> str | None:
    """'' after a vowel, 'ㄹ' after ㄹ, 'other' after another final consonant, None when it cannot be told."""
    word = word.rstrip().rstrip(_CLOSERS).rstrip()
    if not word:
        return None
    last = word[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
        return "" if final == 0 else ("ㄹ" if final == 8 else "other")
    if last.isdigit():
        number = re.search(r"[\d,]+$", word)
        digits = (number.group(0) if number else last).replace(",", "")
        if last != "0" or not digits.strip("0"):
            return _DIGITS[last]
        return "other"  # 십, 백, 천, 만: every power of ten ends in a consonant
    if last.isascii() and last.isalpha():
        tail = re.search(r"[A-Za-z]+$", word)
        letters = tail.group(0) if tail else last
        if letters.isupper() and len(letters) <= 4:  # an acronym, said letter by letter
            return _LETTER_NAMES.get(last.lower(), "")
        lower = letters.lower()
        if lower.endswith(("l", "le")):
            return "ㄹ"
        if lower.endswith(("m", "n", "ng")):
            return "other"  # -t, -k, -p are mostly said with a vowel after them (테스트, 데스크)
        return ""
    return None


def josa(word: str, particle: str) -> str:
    """`word` followed by the form of `particle` (written as in `_PAIRS`, e.g. "을(를)") that fits it."""
    sound = final_sound(word)
    if sound is None:
        return word + particle
    consonant, vowel = _PAIRS[particle]
    if particle == "(으)로":
        return word + (vowel if sound in ("", "ㄹ") else consonant)
    return word + (vowel if sound == "" else consonant)


def particles(text: str) -> str:
    """Every both-forms particle in `text` resolved from the word written just before it."""
    out, start = [], 0
    for match in _PATTERN.finditer(text):
        before = text[start : match.start()]
        out.append(
            josa(before, match.group(0)) if before and not before[-1].isspace() else before + match.group(0)
        )
        start = match.end()
    out.append(text[start:])
    return "".join(out)
