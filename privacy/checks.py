"""Check digits and number ranges that tell real identifiers from look-alikes."""

from __future__ import annotations

# ISO 13616 IBAN lengths of the countries that issue them (SWIFT IBAN registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21,
    "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18,
    "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23,
    "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check every payment card number passes."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_prefix_plausible(digits: str) -> bool:
    """Issuer ranges in use: Visa 4, Mastercard 51-55 and 2221-2720, Amex/Diners/JCB 3, Discover/UnionPay 6."""
    if digits[:1] in ("3", "4", "5", "6"):
        return digits[:1] != "5" or "51" <= digits[:2] <= "55"
    return digits[:1] == "2" and "2221" <= digits[:4] <= "2720"


def is_card_number(digits: str) -> bool:
    return 13 <= len(digits) <= 19 and card_prefix_plausible(digits) and luhn_valid(digits)


def iban_valid(compact: str) -> bool:
    """Country length and the ISO 7064 mod-97 check ("GB82WEST12345698765432")."""
    compact = compact.upper()
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact[2:4].isdigit() or not compact.isalnum():
        return False
    if not compact.isascii():
        return False  # "İ" passes isalnum (and the IBAN pattern, under re.I), but no base-36 digit is that letter
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


def ssn_valid(digits: str) -> bool:
    """A US SSN the SSA could have issued: not area 000, 666 or 9xx, not group 00, not serial 0000."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"
