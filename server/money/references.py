"""The reference an SME writes in the depositor field of a bank transfer, so the club can tell whose it is."""

from __future__ import annotations

# Letters and digits no one misreads on paper or over the phone: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
PREFIX = "TP"
DIGITS = 5
# Weights prime to the alphabet's size: a single mistyped character always changes the check.
WEIGHTS = (1, 2, 3, 4, 6, 7, 8, 9)


def transfer_reference(claim_id: int) -> str:
    """The claim's reference: its id in an unambiguous alphabet and a check character, so one
    mistyped character never names another claim (`TP`, 5 characters and the check: claim 12 is TPAAAAQ6)."""
    digits: list[int] = []
    rest = claim_id
    while rest or len(digits) < DIGITS:
        rest, digit = divmod(rest, len(ALPHABET))
        digits.append(digit)
    digits.reverse()
    check = sum(weight * digit for weight, digit in zip(WEIGHTS, digits, strict=False)) % len(ALPHABET)
    return PREFIX + "".join(ALPHABET[d] for d in digits) + ALPHABET[check]
