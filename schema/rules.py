"""The rules every operation is parsed and validated under, set in one step per request.

Limits: at most 2,000 tokens, a depth of 10, 20 aliases and one password per document (a query that
guesses many passwords at once would step around the sign-in throttle).

Exposure: production tells strangers nothing about the schema beyond answers to valid queries.
Introspection and graphql-core's "Did you mean ...?" hints would let anyone map the whole API, fields a
role never sees included; production publishes the SDL with `club export-schema` instead. Development
keeps both for GraphiQL. One schema object serves every app, so the choice is made per request from
the context's settings.

One extension rather than Strawberry's MaxTokensLimiter and AddValidationRules beside a third: each
extension costs every request an instance and a wrapped hook per phase, a sixth of `{ __typename }`.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension

from schema.sessions import OnePasswordCheck

MAX_TOKENS = 2000
SUGGESTION = " Did you mean "

# The limiters make a new rule class per instance; made once here, the rules are the same objects on every
# request, so the validation cache (keyed by document and rules) answers a known query without validating.
_LIMITS = (
    *QueryDepthLimiter(max_depth=10).validation_rules,
    *MaxAliasesLimiter(max_alias_count=20).validation_rules,
    OnePasswordCheck,
)


def without_suggestion(error: GraphQLError) -> GraphQLError:
    # graphql-core always appends its hint at the end of the message (pyutils.did_you_mean).
    error.message = error.message.split(SUGGESTION, 1)[0]
    return error


class OperationRules(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        execution = self.execution_context
        execution.parse_options["max_tokens"] = MAX_TOKENS
        context = execution.context
        production = bool(context is not None and context.settings.production)
        # The rules are part of the validation cache's key: production and development never share an entry.
        hidden = (NoSchemaIntrospectionCustomRule,) if production else ()
        execution.validation_rules = (*execution.validation_rules, *_LIMITS, *hidden)
        yield
        result = execution.result
        if production and result is not None and result.errors:
            result.errors = [without_suggestion(e) for e in result.errors]
