"""The declaration as a document: its versions, who signed it in order, and publishing a new version."""

from __future__ import annotations

import datetime
from typing import cast

import strawberry

from schema.connection import Connection
from schema.context import Info
from schema.errors import DomainErrors, Payload
from server.membership import declaration as service
from server.models import DeclarationSigning
from server.platform.timeutil import in_seoul_or_none


@strawberry.type(name="DeclarationPledge")
class PledgeNode:
    ko: str
    en: str


@strawberry.type(name="DeclarationText", description="One version of the declaration, as published.")
class TextNode:
    version: str
    title_ko: str
    title_en: str
    body_ko: str
    body_en: str
    pledges: list[PledgeNode] = strawberry.field(
        description="Partnership, protection infrastructure, fair dealing, awareness."
    )
    published_at_utc: strawberry.Private[datetime.datetime | None]

    @strawberry.field(description="Null for the 2011 text, which ships with the platform.")
    def published_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(self.published_at_utc)


def _node(text: service.Text) -> TextNode:
    return TextNode(
        version=text.version,
        title_ko=text.title_ko,
        title_en=text.title_en,
        body_ko=text.body_ko,
        body_en=text.body_en,
        pledges=[PledgeNode(ko=p.ko, en=p.en) for p in text.pledges],
        published_at_utc=text.published_at,
    )


@strawberry.type(name="DeclarationSignatory", description="A member's first signing, for the club's list.")
class SignatoryNode:
    @strawberry.field
    def organization_id(self) -> int:
        return cast(DeclarationSigning, self).organization_id

    @strawberry.field
    def name_ko(self) -> str:
        return cast(DeclarationSigning, self).organization.name_ko

    @strawberry.field
    def name_en(self) -> str | None:
        return cast(DeclarationSigning, self).organization.name_en

    @strawberry.field
    def signed_on(self) -> datetime.date:
        return cast(DeclarationSigning, self).signed_on


@strawberry.input
class PledgeInput:
    ko: str
    en: str


@strawberry.input
class DeclarationTextInput:
    version: str = strawberry.field(description="Its name, e.g. 2026-12; new signings record it.")
    title_ko: str
    title_en: str
    body_ko: str
    body_en: str
    pledges: list[PledgeInput] = strawberry.field(description="Exactly four, in order.")


@strawberry.type
class DeclarationTextPayload(Payload):
    text: TextNode | None = None


@strawberry.type
class DeclarationQueries:
    @strawberry.field(
        description="A version of the declaration (the current one when no version is given); null when "
        "there is no such version."
    )
    async def declaration_text(self, version: str | None = None) -> TextNode | None:
        text = await service.text_of(version)
        return _node(text) if text else None

    @strawberry.field(description="Every member that signed the declaration, in order of signing.")
    async def declaration_signatories(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[SignatoryNode]:
        page = await service.signatories(first=first, after=after)
        return cast(Connection[SignatoryNode], Connection.of(page, after))


@strawberry.type
class DeclarationMutations:
    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="The secretariat publishes a new version; members re-affirm it as a new signing record.",
    )
    async def publish_declaration_text(
        self, info: Info, input: DeclarationTextInput
    ) -> DeclarationTextPayload:
        text = await service.publish_declaration_text(
            actor=info.context.actor,
            version=input.version,
            title_ko=input.title_ko,
            title_en=input.title_en,
            body_ko=input.body_ko,
            body_en=input.body_en,
            pledges=[service.Pledge(ko=p.ko, en=p.en) for p in input.pledges],
        )
        return DeclarationTextPayload(text=_node(text))
