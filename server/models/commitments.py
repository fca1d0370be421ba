from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import Claim, Organization, Service, User


class CommitmentStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


def remaining_budget(budget: int, reserved: int, captured: int) -> int:
    """The one formula for a commitment's remaining budget, for rows and for ledger totals alike."""
    return budget - reserved - captured


class Commitment(Model):
    """A conglomerate's pledge to pay a share of its partners' service costs.

    `reserved` and `captured` are running totals of the ledger, kept on the row
    so that the database itself refuses any change that would overspend.
    """

    id = fields.IntField(primary_key=True)
    conglomerate: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="commitments", on_delete=fields.RESTRICT
    )
    conglomerate_id: int
    name = fields.CharField(max_length=200)
    period_start = fields.DateField()
    period_end = fields.DateField()
    services: fields.ManyToManyRelation[Service] = fields.ManyToManyField(
        "club.Service", related_name="commitments", through="commitment_service"
    )
    share_percent = fields.SmallIntField()
    cap_per_claim = fields.BigIntField(null=True)
    budget = fields.BigIntField()
    reserved = fields.BigIntField(default=0)
    captured = fields.BigIntField(default=0)
    eligible_tier_1 = fields.BooleanField(default=True)
    eligible_tier_2 = fields.BooleanField(default=False)
    diagnosis_within_months = fields.SmallIntField(null=True)
    max_claims_per_sme = fields.SmallIntField(null=True)
    status = fields.CharEnumField(CommitmentStatus, max_length=16, default=CommitmentStatus.DRAFT)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="created_commitments", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    activated_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)

    @property
    def remaining(self) -> int:
        """What is left to approve claims against: the budget less what is set aside and spent."""
        return remaining_budget(self.budget, self.reserved, self.captured)

    class Meta:
        table = "commitment"
        indexes = [("conglomerate_id", "status")]
        constraints = (
            CheckConstraint(check="share_percent BETWEEN 1 AND 100", name="commitment_share_range"),
            CheckConstraint(
                check="cap_per_claim IS NULL OR cap_per_claim >= 0", name="commitment_cap_nonnegative"
            ),
            CheckConstraint(check="reserved >= 0 AND captured >= 0", name="commitment_figures_nonnegative"),
            CheckConstraint(check="reserved + captured <= budget", name="commitment_within_budget"),
            CheckConstraint(check="period_end >= period_start", name="commitment_period_order"),
        )


class LedgerEntryKind(StrEnum):
    BUDGET = "budget"  # initial budget and top-ups
    RESERVE = "reserve"  # approval sets the sponsor share aside
    RELEASE = "release"  # cancel or expiry gives a reservation back
    CAPTURE = "capture"  # payment turns a reservation into spend
    REFUND = "refund"  # a refund gives captured spend back


class LedgerEntry(Model):
    """Append-only: entries are never updated or deleted."""

    id = fields.BigIntField(primary_key=True)
    commitment: fields.ForeignKeyRelation[Commitment] = fields.ForeignKeyField(
        "club.Commitment", related_name="ledger_entries", on_delete=fields.RESTRICT
    )
    commitment_id: int
    claim: fields.ForeignKeyNullableRelation[Claim] = fields.ForeignKeyField(
        "club.Claim", related_name="ledger_entries", null=True, on_delete=fields.RESTRICT
    )
    claim_id: int | None
    kind = fields.CharEnumField(LedgerEntryKind, max_length=16)
    amount = fields.BigIntField()
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="ledger_entries", null=True, on_delete=fields.SET_NULL
    )
    actor_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ledger_entry"
        # the second: the reports' spending in a period, over all commitments
        indexes = [("commitment_id", "created_at"), ("created_at", "kind")]
        constraints = (CheckConstraint(check="amount > 0", name="ledger_amount_positive"),)


class CommitmentMonth(Model):
    """A commitment's net sponsor spend in one month (Asia/Seoul): its captures less its refunds.

    Kept by the ledger in the transaction of each capture or refund, so the commitment page's spend
    chart reads a row per month however many claims the commitment pays; `club reconcile` checks it
    against the entries.
    """

    id = fields.IntField(primary_key=True)
    commitment: fields.ForeignKeyRelation[Commitment] = fields.ForeignKeyField(
        "club.Commitment", related_name="months", on_delete=fields.RESTRICT
    )
    commitment_id: int
    month = fields.CharField(max_length=7)  # YYYY-MM
    spent = fields.BigIntField(default=0)

    class Meta:
        table = "commitment_month"
        unique_together = (("commitment", "month"),)
