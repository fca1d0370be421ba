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


async def changes_since(version: int | None) -> list[PrivacyNotice]:
    """The versions published after `version` (the one a person accepted), oldest first: what changed."""
    if version is None:
        return []
    return await PrivacyNotice.filter(version__gt=version).order_by("version")


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


async def next_version(actor: Actor | None) -> tuple[PrivacyNotice | None, int]:
    """The secretariat's publishing form: the current version (its text to start from) and the next number."""
    require_secretariat(actor)
    current = await current_notice()
    return current, (current.version if current else 0) + 1


def _text(written: str) -> str:
    """As typed, with the line breaks a browser's form sends (CR LF) kept as plain LF."""
    return written.replace("\r\n", "\n").strip()


def _check(
    latest: PrivacyNotice | None, text_ko: str, text_en: str, summary: str, version: int | None
) -> int:
    """The number the new version gets, once its texts are written and `version` (if given) is that one."""
    if not text_ko or not text_en:
        field = "text_ko" if not text_ko else "text_en"
        raise DomainError.single(ErrorCode.REQUIRED, "Write the notice in Korean and in English.", field)
    if latest is not None and not summary:
        raise DomainError.single(
            ErrorCode.REQUIRED, "Say what changed since the version before.", "summary_of_changes"
        )
    following = (latest.version if latest else 0) + 1
    if version is not None and version != following:
        raise DomainError.single(
            ErrorCode.INVALID_STATE,
            "Version %(version)s cannot be published: the latest version is now %(latest)s.",
            "version",
            version=version,
            latest=following - 1,
        )
    return following


async def check_publication(
    *, actor: Actor | None, text_ko: str, text_en: str, summary_of_changes: str = "", version: int | None
) -> int:
    """What `publish_notice` would refuse, without publishing (the page's confirmation step): the number."""
    require_secretariat(actor)
    latest = await PrivacyNotice.all().order_by("-version").first()
    return _check(latest, _text(text_ko), _text(text_en), _text(summary_of_changes), version)


async def publish_notice(
    *,
    actor: Actor | None,
    text_ko: str,
    text_en: str,
    summary_of_changes: str = "",
    version: int | None = None,
) -> PrivacyNotice:
    """The secretariat publishes a new version; everyone who accepted an older one is asked to accept it at
    their next page. `version`, when given, must be the next one: a page opened before another version
    came out cannot publish a second time. Locks the latest version's row."""
    actor = require_secretariat(actor)
    text_ko, text_en, summary = _text(text_ko), _text(text_en), _text(summary_of_changes)
    async with in_transaction():
        latest = await PrivacyNotice.all().select_for_update().order_by("-version").first()
        following = _check(latest, text_ko, text_en, summary, version)
        notice = await PrivacyNotice.create(
            version=following, text_ko=text_ko, text_en=text_en, summary_of_changes=summary
        )
        await audit.record(
            "privacy.publish",
            notice,
            actor=actor,
            before={"version": latest.version} if latest else None,
            after={"version": notice.version, "summary_of_changes": summary},
        )
    _remember(notice.version)
    return notice
