"""Escrow proof of possession: record a deposit's fingerprints, verify a file, cite a deposit in a case."""

from __future__ import annotations

import datetime
from typing import cast

import strawberry

from schema.connection import Connection
from schema.context import Info
from schema.errors import DomainErrors, Payload
from schema.protection import ProtectionCaseNode
from server.models import DepositFile, EscrowDeposit
from server.money import escrow_contracts
from server.protection import deposits
from server.protection.deposits import DepositedFile


@strawberry.type(name="DepositFile")
class DepositFileNode:
    name: str
    size: int
    sha256: str


@strawberry.type(name="EscrowDeposit")
class EscrowDepositNode:
    id: int
    claim_id: int
    certificate_number: str
    deposited_on: datetime.date

    @strawberry.field
    def files(self) -> list[DepositFileNode]:
        rows: list[DepositFile] = list(cast(EscrowDeposit, self).files)
        return [cast(DepositFileNode, row) for row in sorted(rows, key=lambda row: row.id)]


@strawberry.input
class DepositFileInput:
    name: str
    size: int
    sha256: str = strawberry.field(description="Computed where the file is: the file itself is never sent.")


@strawberry.type(description="What anyone holding a file learns: whether it was deposited, and when first.")
class DepositVerification:
    matches: bool
    deposited_on: datetime.date | None = None


@strawberry.type
class EscrowDepositPayload(Payload):
    deposit: EscrowDepositNode | None = None


@strawberry.type
class CitePayload(Payload):
    protection_case: ProtectionCaseNode | None = None


@strawberry.type
class EscrowProofQueries:
    @strawberry.field(description="The SME's own deposits (the secretariat: all), newest first.")
    async def escrow_deposits(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[EscrowDepositNode]:
        page = await deposits.list_deposits(info.context.actor, first=first, after=after)
        return cast(Connection[EscrowDepositNode], Connection.of(page, after))

    @strawberry.field(
        description="Anyone, signed in or not, holding a file: is it exactly what was deposited, and on which "
        "(earliest) date? Nothing else about the deposit or the SME is told."
    )
    async def verify_deposit(self, sha256: str) -> DepositVerification:
        found = await deposits.verify_deposit(sha256)
        return DepositVerification(
            matches=found is not None, deposited_on=found.deposited_on if found else None
        )


@strawberry.type
class EscrowProofMutations:
    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="The secretariat or the SME records a fulfilled escrow claim's certificate and fingerprints.",
    )
    async def record_escrow_deposit(
        self,
        info: Info,
        claim_id: int,
        certificate_number: str,
        deposited_on: datetime.date,
        files: list[DepositFileInput],
    ) -> EscrowDepositPayload:
        deposit = await deposits.record_escrow_deposit(
            actor=info.context.actor,
            claim_id=claim_id,
            certificate_number=certificate_number,
            deposited_on=deposited_on,
            files=[DepositedFile(f.name, f.size, f.sha256) for f in files],
        )
        await deposit.fetch_related("files")
        return EscrowDepositPayload(deposit=cast(EscrowDepositNode, deposit))

    @strawberry.mutation(
        extensions=[DomainErrors()], description="The SME cites one of its deposits in a case."
    )
    async def cite_escrow_deposit(self, info: Info, case_id: int, deposit_id: int) -> CitePayload:
        case = await deposits.cite_deposit(actor=info.context.actor, case_id=case_id, deposit_id=deposit_id)
        return CitePayload(protection_case=cast(ProtectionCaseNode, case))


@strawberry.type(name="OutsideEscrowContract")
class OutsideEscrowContractNode:
    id: int
    contract_number: str
    ends_on: datetime.date


@strawberry.type
class OutsideEscrowContractPayload(Payload):
    contract: OutsideEscrowContractNode | None = None


@strawberry.type
class OutsideContractMutations:
    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="An SME records an escrow contract made outside the club, so that it may claim its renewal.",
    )
    async def record_outside_escrow_contract(
        self, info: Info, contract_number: str, ends_on: datetime.date
    ) -> OutsideEscrowContractPayload:
        contract = await escrow_contracts.record_outside_escrow_contract(
            actor=info.context.actor, contract_number=contract_number, ends_on=ends_on
        )
        return OutsideEscrowContractPayload(contract=cast(OutsideEscrowContractNode, contract))
