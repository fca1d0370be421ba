"""Expected failures as data: every mutation payload carries `errors {field code message}`."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import FieldExtension
from strawberry.types.field import StrawberryField
from tortoise.exceptions import ValidationError

from server.errors import DomainError, ErrorCode, invalid_value


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
            return self._payload(invalid_value())
        except DomainError as exc:
            return self._payload(exc)

    def _payload(self, exc: DomainError) -> Any:
        payload_type: Any = self.field.type
        return payload_type(
            errors=[UserError(field=e.field, code=e.code, message=e.text()) for e in exc.errors]
        )


def is_unexpected(error: GraphQLError) -> bool:
    """Mask what was not meant for users: any exception other than a DomainError or a GraphQL answer."""
    original = error.original_error
    return original is not None and not isinstance(original, (DomainError, GraphQLError))
