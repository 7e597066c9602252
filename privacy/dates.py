"""Calendar dates as people write and say them: "03/03/1985", "March 3rd, 1985",
"the third of March nineteen eighty-five", "1985-03-03".

Only the position of each date is needed (a date of birth is replaced whole), but every
match is checked to be a real day of a real month so "4/31" or "13/13/13" do not count.
"""

from __future__ import annotations

import re
from typing import NamedTuple

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_UNIT_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
ORDINAL_DAYS = {word: day for day, word in enumerate(_UNIT_ORDINALS, 1)}
ORDINAL_DAYS.update({"tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
                     "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
                     "twentieth": 20, "thirtieth": 30})
ORDINAL_DAYS.update({f"twenty {word}": 20 + day for day, word in enumerate(_UNIT_ORDINALS, 1)})
ORDINAL_DAYS["thirty first"] = 31
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_SPACE = r"[\s-]+"
_MONTH = r"(?P<{name}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_WORD = "|".join(word.replace(" ", _SPACE) for word in sorted(ORDINAL_DAYS, key=len, reverse=True))
_DAY = r"(?P<{name}>\d{{1,2}}(?:st|nd|rd|th)?|" + _DAY_WORD + ")"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_UNIT = "(?:" + "|".join(_UNITS) + ")"
_TEEN = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_SPOKEN_YEAR = (
    rf"(?:nineteen{_SPACE}(?:{_TENS}(?:{_SPACE}{_UNIT})?|{_TEEN}|(?:oh|o){_SPACE}{_UNIT}|hundred)"
    rf"|two{_SPACE}thousand(?:{_SPACE}(?:and{_SPACE})?(?:{_TEEN}|{_TENS}(?:{_SPACE}{_UNIT})?|{_UNIT}))?"
    rf"|twenty{_SPACE}(?:oh{_SPACE}{_UNIT}|{_TEEN}|{_TENS}(?:{_SPACE}{_UNIT})?))"
)
_YEAR = rf"(?:(?:19|20)\d{{2}}|'\d{{2}}|{_SPOKEN_YEAR})"
_YEAR_TAIL = rf"(?:,?\s*(?:in\s+)?{_YEAR})?"

PATTERNS = [
    # March 3rd, 1985 / March the third nineteen eighty-five / Mar. 3 1985
    re.compile(rf"\b{_MONTH.format(name='month')}\s+(?:the\s+)?{_DAY.format(name='day')}\b{_YEAR_TAIL}", re.I),
    # 3 March 1985 / the third of March, nineteen eighty-five
    re.compile(rf"\b(?:the\s+)?{_DAY.format(name='day')}\s+(?:of\s+)?{_MONTH.format(name='month')}{_YEAR_TAIL}",
               re.I),
    # 03/03/1985, 3-3-85, 03.03.1985 (month first, or day first when the first number cannot be a month)
    re.compile(r"(?<![\d/.-])(?P<first>\d{1,2})([/.-])(?P<second>\d{1,2})\2(?P<year>(?:19|20)?\d{2})(?![\d/-]|\.\d)"),
    # 1985-03-03
    re.compile(r"(?<![\d-])(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d-])"),
]

_ANY_MONTH = re.compile(r"\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")", re.I)
# Every month's name starts with one of these letters and one of these pairs: a pattern sre scans ~5 times faster,
# read first, so most texts with no month skip `_ANY_MONTH`'s slower search.
_MONTH_PREFIX = re.compile(r"[jfmasond](?:an|eb|ar|pr|ay|un|ul|ug|ep|ct|ov|ec)", re.I)


class DateMention(NamedTuple):  # a named tuple: a text of dates makes one per date, and a dataclass costs more
    start: int
    end: int


def find_dates(text: str) -> list[DateMention]:
    """Every real calendar date in `text`, longest first where two patterns overlap."""
    found: list[DateMention] = []
    # The patterns that name the month are the slow ones (an alternation tried at every word): skip them
    # when no month is named at all.
    named = _MONTH_PREFIX.search(text) is not None and _ANY_MONTH.search(text) is not None
    patterns = PATTERNS if named else PATTERNS[2:]
    for pattern in patterns:
        for match in pattern.finditer(text):
            month, day = _month_and_day(match)
            if month and day and day <= DAYS_IN_MONTH[month - 1]:
                found.append(DateMention(match.start(), _trimmed_end(text, *match.span())))
    found.sort(key=lambda mention: (mention.start, -mention.end))
    kept: list[DateMention] = []
    for mention in found:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def day_month_year_from_digits(digits: str) -> bool:
    """Whether spoken digits such as "oh three oh three nineteen eighty five" (03031985) or 030385 are a date."""
    if len(digits) == 8:
        first, second, year = int(digits[:2]), int(digits[2:4]), int(digits[4:])
        if not 1900 <= year <= 2099:
            return False
    elif len(digits) == 6:
        first, second = int(digits[:2]), int(digits[2:4])
    else:
        return False
    return _valid(first, second) or _valid(second, first)


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= DAYS_IN_MONTH[month - 1]


def _month_and_day(match: re.Match) -> tuple[int | None, int | None]:
    groups = match.groupdict()
    if "first" in groups:  # numeric: month first (US), else day first
        first, second = int(groups["first"]), int(groups["second"])
        if _valid(first, second):
            return first, second
        return (second, first) if _valid(second, first) else (None, None)
    if groups["month"].isdigit():
        return int(groups["month"]), int(groups["day"])
    month = MONTHS[groups["month"].lower().rstrip(".")]
    return month, _day_number(groups["day"])


def _day_number(day: str) -> int | None:
    digits = re.match(r"\d+", day)
    if digits:
        number = int(digits.group())
        return number if 1 <= number <= 31 else None
    return ORDINAL_DAYS.get(re.sub(_SPACE, " ", day.lower()))


def _trimmed_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ,\t\n-":
        end -= 1
    return end
