"""Expected failures as data: every mutation payload carries `errors {field code message}`."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.extensions import FieldExtension, MaskErrors
from strawberry.types.field import StrawberryField
from tortoise.exceptions import ValidationError

from server.platform.errors import DomainError, ErrorCode, invalid_value

T = TypeVar("T")


@strawberry.type(description="An expected failure: nothing was written.")
class UserError:
    field: str | None = strawberry.field(description="The input field at fault, if one is.")
    code: ErrorCode
    message: str


@strawberry.interface
class Payload:
    errors: list[UserError] = strawberry.field(default_factory=list)


class DomainErrors(FieldExtension):
    """Turn a DomainError raised by a service into the mutation payload's `errors`.

    A value the ORM refuses before writing (too long for its column) is the client's input, not a fault.
    """

    def apply(self, field: StrawberryField) -> None:
        self.field = field

    async def resolve_async(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except ValidationError:
            return self._payload(invalid_value(), info)
        except DomainError as exc:
            return self._payload(exc, info)

    def _payload(self, exc: DomainError, info: Any) -> Any:
        payload_type: Any = self.field.type
        translate = info.context.translate
        return payload_type(
            errors=[UserError(field=e.field, code=e.code, message=e.text(translate)) for e in exc.errors]
        )


def is_unexpected(error: GraphQLError) -> bool:
    """Mask what was not meant for users: any exception other than a DomainError or a GraphQL answer."""
    original = error.original_error
    return original is not None and not isinstance(original, (DomainError, GraphQLError))


INTERNAL = "INTERNAL"
UNEXPECTED = "Unexpected error."


class ErrorConventions(MaskErrors):
    """Every top-level error carries `extensions.code` and speaks the request's language.

    A DomainError gives its `ErrorCode` name and its translated message; what was not meant for users is
    masked as INTERNAL; an error of the request itself is INVALID (a syntax error never reaches this
    extension: ClubSchema.process_errors codes it).
    """

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message=UNEXPECTED)

    def _translate(self, message: str) -> str:
        context = self.execution_context.context
        return context.translate(message) if context is not None else message

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.message = self._translate(UNEXPECTED)
        masked.extensions = {"code": INTERNAL}
        return masked

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._conventional(error) for error in super()._process_errors(errors)]

    def _conventional(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, DomainError):
            error.message = "; ".join(e.text(self._translate) for e in original.errors)
            error.extensions = {**(error.extensions or {}), "code": original.errors[0].code.name}
        else:
            give_request_error_a_code(error)
        return error


def give_request_error_a_code(error: GraphQLError) -> None:
    """An error of the request itself (syntax, validation, limits) is INVALID unless it names its code."""
    if not (error.extensions or {}).get("code"):
        error.extensions = {**(error.extensions or {}), "code": ErrorCode.INVALID.name}


async def found_or_none(lookup: Awaitable[T | None]) -> T | None:
    """What every single-record query answers: the record, or null when it does not exist or is not the
    actor's to see (the services answer both alike). Any other refusal, such as not being signed in, stays
    a top-level error."""
    try:
        return await lookup
    except DomainError as exc:
        if all(e.code is ErrorCode.NOT_FOUND for e in exc.errors):
            return None
        raise
