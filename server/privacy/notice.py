"""The privacy notice: its versions, and each person's acceptance of the current one.

Every page asks a person who has not accepted the current version to accept it before anything else
(the page door checks `needs_acceptance`). That check runs on every page, so the current version number
is kept in this process for up to `VERSION_TTL`: a newly published version reaches every app process
within that time, and within this process at once.
"""

from __future__ import annotations

import time

from tortoise.transactions import in_transaction

from server.models import PrivacyNotice, User
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode
from server.platform.policy import require_actor, require_secretariat
from server.platform.timeutil import now
from server.privacy.notice_text import FIRST_VERSION, TEXT_EN, TEXT_KO

VERSION_TTL = 30.0  # seconds
_cached: dict[
    str, tuple[int | None, float]
] = {}  # "current": (version or None when there is none, when read)


def _remember(version: int | None) -> int | None:
    _cached["current"] = (version, time.monotonic())
    return version


def forget_current_version() -> None:
    """The next check reads the current version from the database (another process published one)."""
    _cached.clear()


async def ensure_notice() -> PrivacyNotice:
    """The first version, for a database that has none (the migration seeds it; tests empty tables)."""
    await PrivacyNotice.get_or_create(
        version=FIRST_VERSION, defaults={"text_ko": TEXT_KO, "text_en": TEXT_EN}
    )
    current = await current_notice()
    assert current is not None
    return current


async def current_notice() -> PrivacyNotice | None:
    notice = await PrivacyNotice.all().order_by("-version").first()
    _remember(notice.version if notice else None)
    return notice


async def current_version() -> int | None:
    cached = _cached.get("current")
    if cached is not None and time.monotonic() - cached[1] < VERSION_TTL:
        return cached[0]
    notice = await current_notice()
    return notice.version if notice else None


async def needs_acceptance(user: User) -> bool:
    """Whether the person must accept the notice before anything else."""
    version = await current_version()
    return version is not None and user.privacy_notice_version != version


async def record_acceptance(user: User, version: int, *, actor: Actor | None = None) -> None:
    """Inside the caller's transaction: the person accepted `version`, which must be the current one."""
    notice = await current_notice()
    if notice is None or notice.version != version:
        raise DomainError.single(
            ErrorCode.INVALID_STATE,
            "The privacy notice has changed since you opened it: read the new version.",
            "version",
        )
    user.privacy_notice_version = version
    user.privacy_notice_accepted_at = now()
    await User.filter(id=user.id).update(
        privacy_notice_version=version, privacy_notice_accepted_at=user.privacy_notice_accepted_at
    )
    await audit.record("privacy.accept", notice, actor=actor, user=user, after={"version": version})


async def accept_notice(*, actor: Actor | None, version: int) -> User:
    """The signed-in person accepts the notice they were shown (its version number)."""
    actor = require_actor(actor)
    async with in_transaction():
        await record_acceptance(actor.user, version, actor=actor)
    return actor.user


async def publish_notice(*, actor: Actor | None, text_ko: str, text_en: str) -> PrivacyNotice:
    """The secretariat publishes a new version; everyone accepts it at their next page."""
    actor = require_secretariat(actor)
    if not text_ko.strip() or not text_en.strip():
        raise DomainError.single(ErrorCode.REQUIRED, "Write the notice in Korean and in English.", "text_ko")
    async with in_transaction():
        latest = await PrivacyNotice.all().select_for_update().order_by("-version").first()
        notice = await PrivacyNotice.create(
            version=(latest.version if latest else 0) + 1, text_ko=text_ko.strip(), text_en=text_en.strip()
        )
        await audit.record("privacy.publish", notice, actor=actor, after={"version": notice.version})
    _remember(notice.version)
    return notice
