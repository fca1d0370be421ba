"""Slowing and refusing password guesses (who the client is: web/sessions.py).

Failures are counted under three keys per attempt:
- the client address: a spray of many e-mails from one address is slowed, then refused;
- the account at that address: five wrong passwords lock that pair, never the owner elsewhere;
- the account from anywhere: only slowed (a short, capped delay), so a stranger cannot lock anyone out.
A success clears the account's counts, never the address's (an attacker must not reset it with an account
of their own). The delay is awaited, not slept in a thread: it holds only the attempt, not the process.

Forms anyone may post that make the club send mail are counted per client address (`limit_anonymous`),
every request, not only failures: each one sends a mail to an address the poster chose.

Outside sign-in, a password is proved by someone who already holds a session or an invitation link
(`prove_password`): those checks are counted per person and locked like a pair, whoever asks.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server.accounts.passwords import verify_password_off_loop
from server.models import SignInThrottle, User
from server.platform.config import settings
from server.platform.errors import DomainError, ErrorCode
from server.platform.settings import SignInLimits
from server.platform.timeutil import now

LOCKED = "Too many failed sign-ins. Try again in 15 minutes."
ADDRESS_REFUSED = "Too many failed sign-ins from your network. Try again later."
TOO_MANY_REQUESTS = "Too many requests from your network. Try again in 15 minutes."


def _keys(email: str, address: str) -> tuple[str, str, str]:
    return f"address:{address}", f"account:{email}", f"pair:{email}|{address}"


def _live_failures(row: SignInThrottle | None, at: datetime, limits: SignInLimits) -> int:
    if row is None or at - row.window_started_at > limits.window:
        return 0
    return row.failures


async def check_attempt(email: str, address: str, limits: SignInLimits) -> None:
    """Refuse a locked pair or a refused address before any password is checked; else wait the delay due."""
    at = now()
    address_key, account_key, pair_key = _keys(email, address)
    rows = {r.key: r for r in await SignInThrottle.filter(key__in=[address_key, account_key, pair_key])}
    pair = rows.get(pair_key)
    if pair is not None and pair.locked_until is not None and pair.locked_until > at:
        raise DomainError.single(ErrorCode.THROTTLED, LOCKED)
    from_address = _live_failures(rows.get(address_key), at, limits)
    if from_address >= limits.address_limit:
        raise DomainError.single(ErrorCode.THROTTLED, ADDRESS_REFUSED)
    over = max(
        from_address - limits.address_slow_after + 1,
        _live_failures(rows.get(account_key), at, limits) - limits.account_slow_after + 1,
    )
    if over > 0:
        await asyncio.sleep(min(over * limits.delay_step, limits.max_delay))


async def count_failure(email: str, address: str, limits: SignInLimits) -> None:
    for key in _keys(email, address):
        await _count(key, limits, lock=key.startswith("pair:"))


async def _count(key: str, limits: SignInLimits, *, lock: bool) -> None:
    at = now()
    try:
        async with in_transaction():
            row = await SignInThrottle.filter(key=key).select_for_update().first()
            if row is None:
                await SignInThrottle.create(key=key, failures=1, window_started_at=at)
                return
            if at - row.window_started_at > limits.window:
                row.failures, row.window_started_at = 0, at
            row.failures += 1
            if lock and row.failures >= limits.pair_lock_after:
                row.locked_until = at + limits.window
            await row.save()
    except IntegrityError:  # a concurrent first failure made the row: count on it
        await _count(key, limits, lock=lock)


async def clear_account(email: str, address: str) -> None:
    _, account_key, pair_key = _keys(email, address)
    await SignInThrottle.filter(key__in=[account_key, pair_key]).delete()


async def prove_password(user: User, password: str) -> bool:
    """Whether `password` is the person's own; refused outright once they have failed `pair_lock_after`
    times in the window, so a stolen session or a forwarded invitation cannot be used to guess it."""
    limits = settings().sign_in_limits
    key = f"proof:{user.email}"
    row = await SignInThrottle.get_or_none(key=key)
    if row is not None and row.locked_until is not None and row.locked_until > now():
        raise DomainError.single(ErrorCode.THROTTLED, LOCKED)
    if await verify_password_off_loop(user.password_hash, password):
        await SignInThrottle.filter(key=key).delete()
        return True
    await _count(key, limits, lock=True)
    return False


async def limit_anonymous(action: str, address: str) -> None:
    """Count one `action` from `address`; refused once the address has made `anonymous_per_address` of them
    in the window."""
    limits = settings().sign_in_limits
    key = f"{action}:{address}"
    if (
        _live_failures(await SignInThrottle.get_or_none(key=key), now(), limits)
        >= limits.anonymous_per_address
    ):
        raise DomainError.single(ErrorCode.THROTTLED, TOO_MANY_REQUESTS)
    await _count(key, limits, lock=False)
