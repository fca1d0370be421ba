"""What production tells strangers about the schema: nothing beyond answers to valid queries.

Introspection and graphql-core's "Did you mean ...?" hints would let anyone map the whole API, fields a
role never sees included; production publishes the SDL with `club export-schema` instead. Development
keeps both for GraphiQL. One schema object serves every app, so the choice is made per request from
the context's settings.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

SUGGESTION = " Did you mean "


def without_suggestion(error: GraphQLError) -> GraphQLError:
    # graphql-core always appends its hint at the end of the message (pyutils.did_you_mean).
    error.message = error.message.split(SUGGESTION, 1)[0]
    return error


class HideSchemaInProduction(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        production = bool(context is not None and context.settings.production)
        if production:
            # The rules are part of the validation cache's key: production and development never share an entry.
            rules = self.execution_context.validation_rules
            self.execution_context.validation_rules = (*rules, NoSchemaIntrospectionCustomRule)
        yield
        result = self.execution_context.result
        if production and result is not None and result.errors:
            result.errors = [without_suggestion(e) for e in result.errors]
