"""The GraphQL door: one Strawberry schema at /graphql over the domain services."""

from __future__ import annotations

from typing import Any

import orjson
import strawberry
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from schema import enums  # noqa: F401 - registers the domain enums before the types use them
from schema.accounts import AccountMutations, AccountQueries
from schema.acting import ReadActor
from schema.applications import ApplicationMutations, ApplicationQueries
from schema.attention import AttentionMutations, AttentionQueries
from schema.audit import AuditQueries
from schema.catalogue import CatalogueMutations, CatalogueQueries
from schema.claims import ClaimMutations, ClaimQueries
from schema.commitments import CommitmentMutations, CommitmentQueries
from schema.context import Context, Loaders
from schema.declaration import DeclarationMutations, DeclarationQueries
from schema.diagnosis import DiagnosisMutations, DiagnosisQueries
from schema.errors import ErrorConventions, give_request_error_a_code, is_unexpected
from schema.escrow_proof import EscrowProofMutations, EscrowProofQueries, OutsideContractMutations
from schema.execution import ClubExecutionContext
from schema.language import request_language
from schema.mail import MailMutations, MailQueries
from schema.organization_mutations import OrganizationMutations
from schema.organizations import OrganizationQueries
from schema.partners import PartnerMutations, PartnerQueries
from schema.people import PeopleMutations, PeopleQueries
from schema.privacy import PrivacyMutations, PrivacyQueries
from schema.protection import ProtectionQueries, ProtectionStatisticsQueries
from schema.protection_mutations import ProtectionMutations
from schema.reports import ReportQueries
from schema.rules import OperationRules
from schema.scalars import SCALARS
from schema.seminar_people import SeminarPeopleMutations, SeminarPeopleQueries
from schema.seminars import SeminarMutations, SeminarQueries
from schema.sessions import SessionMutations, SessionQueries
from schema.statements import StatementQueries
from schema.transfers import TransferMutations, TransferQueries
from server.platform.settings import Settings
from web.sessions import current_actor

Query = merge_types(
    "Query",
    (
        AccountQueries,
        SessionQueries,
        OrganizationQueries,
        ApplicationQueries,
        DeclarationQueries,
        PeopleQueries,
        PartnerQueries,
        CatalogueQueries,
        CommitmentQueries,
        ClaimQueries,
        StatementQueries,
        TransferQueries,
        SeminarQueries,
        SeminarPeopleQueries,
        DiagnosisQueries,
        MailQueries,
        AttentionQueries,
        ProtectionQueries,
        ProtectionStatisticsQueries,
        EscrowProofQueries,
        AuditQueries,
        PrivacyQueries,
        ReportQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AccountMutations,
        SessionMutations,
        OrganizationMutations,
        ApplicationMutations,
        DeclarationMutations,
        PeopleMutations,
        PartnerMutations,
        CatalogueMutations,
        CommitmentMutations,
        ClaimMutations,
        TransferMutations,
        SeminarMutations,
        SeminarPeopleMutations,
        DiagnosisMutations,
        MailMutations,
        AttentionMutations,
        ProtectionMutations,
        EscrowProofMutations,
        OutsideContractMutations,
        PrivacyMutations,
    ),
)


class ClubSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log what went wrong unexpectedly; a DomainError or a refused input is an answer, not a fault."""
        if execution_context is not None and execution_context.pre_execution_errors:
            for error in execution_context.pre_execution_errors:
                give_request_error_a_code(error)
        super().process_errors([e for e in errors if is_unexpected(e)], execution_context)


schema = ClubSchema(
    query=Query,
    mutation=Mutation,
    config=StrawberryConfig(scalar_map=SCALARS),
    execution_context_class=ClubExecutionContext,
    extensions=[
        ReadActor,
        ErrorConventions,
        OperationRules,
        ParserCache,
        ValidationCache,
    ],
)


class ClubGraphQL(GraphQL[Context, None]):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide=None if settings.production else "graphiql",
            # Mutations over GET would be open to cross-site requests; only POST with JSON is taken.
            allow_queries_via_get=False,
        )
        self.settings = settings

    def decode_json(self, data: str | bytes) -> object:
        """One JSON object per request (no batches): anything else was a 500 deep inside Strawberry."""
        try:
            decoded = super().decode_json(data)
        except RecursionError as exc:
            raise HTTPException(400, "The request body nests too deeply.") from exc
        if not isinstance(decoded, dict):
            raise HTTPException(400, "The request body must be one JSON object.")
        return decoded

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        assert isinstance(request, Request)
        return Context(
            request=request,
            response=response if isinstance(response, Response) else None,
            settings=self.settings,
            actor=None,  # read by ReadActor when the operation needs it
            loaders=Loaders(),
            language=request_language(request),
            read_actor=lambda: current_actor(request),
        )


def graphql_routes(settings: Settings) -> list[Any]:
    return [Route("/graphql", ClubGraphQL(settings), methods=["GET", "POST"])]
