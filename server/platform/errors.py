"""Expected failures of the domain, raised by services and shown to users.

Each carries a stable code (the GraphQL `ErrorCode` enum mirrors it), the input
field it concerns when there is one, and a message for people. Messages are
English msgids; the pages translate them through the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from server.platform.korean import particles


class ErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    DUPLICATE = "duplicate"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    UNAUTHENTICATED = "unauthenticated"
    INVALID_CREDENTIALS = "invalid_credentials"
    THROTTLED = "throttled"
    EXPIRED = "expired"
    ALREADY_USED = "already_used"
    INVALID_STATE = "invalid_state"
    MEMBERSHIP_INACTIVE = "membership_inactive"
    BUDGET_EXHAUSTED = "budget_exhausted"
    NOT_ELIGIBLE = "not_eligible"
    LIMIT_REACHED = "limit_reached"
    DIAGNOSIS_REQUIRED = "diagnosis_required"
    PAYMENT_FAILED = "payment_failed"
    PAYMENT_UNAVAILABLE = "payment_unavailable"
    KEY_REUSED = "key_reused"


@dataclass(frozen=True)
class FieldError:
    code: ErrorCode
    message: str  # an English msgid, with %(name)s placeholders filled from `params`
    field: str | None = None
    params: Mapping[str, object] | None = None

    def text(self, translate: Callable[[str], str] = lambda message: message) -> str:
        """The message for people, translated first, then filled in."""
        translated = translate(self.message)
        return particles(translated % self.params) if self.params else translated


class DomainError(Exception):
    """One or more expected failures; nothing was written."""

    def __init__(self, *errors: FieldError) -> None:
        super().__init__("; ".join(e.text() for e in errors))
        self.errors = errors

    @classmethod
    def single(cls, code: ErrorCode, message: str, field: str | None = None, **params: object) -> DomainError:
        return cls(FieldError(code, message, field, params or None))


def not_found(what: str = "record") -> DomainError:
    # The same answer whether the record is missing or merely hidden from the actor.
    return DomainError.single(ErrorCode.NOT_FOUND, f"No such {what}.")  # msgids listed in the catalogue


def forbidden() -> DomainError:
    return DomainError.single(ErrorCode.FORBIDDEN, "You may not do this.")


def invalid_value() -> DomainError:
    """What a value the database would refuse (longer than its column, say) answers, at either door.

    Tortoise checks such values before it sends a statement, so nothing was written.
    """
    return DomainError.single(ErrorCode.INVALID, "A value is too long or not in the expected form.")


def invalid(field: str, message: str) -> DomainError:
    return DomainError.single(ErrorCode.INVALID, message, field)


class ErrorCollector:
    """Gathers every field error of a form before raising them together."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, code: ErrorCode, field: str, message: str) -> None:
        self.errors.append(FieldError(code, message, field))

    def raise_if_any(self) -> None:
        if self.errors:
            raise DomainError(*self.errors)
