from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import Organization, User


class SeminarStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class SeminarAudience(StrEnum):
    SME_STAFF = "sme_staff"
    EVERYONE = "everyone"


class Seminar(Model):
    id = fields.IntField(primary_key=True)
    title_ko = fields.CharField(max_length=200)
    title_en = fields.CharField(max_length=200, default="")
    description_ko = fields.TextField(default="")
    description_en = fields.TextField(default="")
    topic = fields.CharField(max_length=50)
    speakers = fields.TextField(default="")
    co_hosts: fields.ManyToManyRelation[Organization] = fields.ManyToManyField(
        "club.Organization", related_name="cohosted_seminars", through="seminar_cohost"
    )
    venue = fields.CharField(max_length=200, default="")
    online_url = fields.CharField(max_length=500, default="")
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    capacity = fields.IntField()
    registration_opens_at = fields.DatetimeField()
    registration_closes_at = fields.DatetimeField()
    seats_per_organization = fields.IntField(null=True)
    audience = fields.CharEnumField(SeminarAudience, max_length=16, default=SeminarAudience.EVERYONE)
    status = fields.CharEnumField(SeminarStatus, max_length=16, default=SeminarStatus.DRAFT)
    registered_count = fields.IntField(default=0)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="scheduled_seminars", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    @property
    def seats_left(self) -> int:
        """Seats still free; at zero, registering joins the waiting list."""
        return self.capacity - self.registered_count

    class Meta:
        table = "seminar"
        indexes = [("status", "starts_at"), ("venue", "starts_at")]
        constraints = (
            CheckConstraint(check="capacity > 0", name="seminar_capacity_positive"),
            CheckConstraint(check="ends_at > starts_at", name="seminar_time_order"),
            CheckConstraint(
                check="registered_count >= 0 AND registered_count <= capacity",
                name="seminar_within_capacity",
            ),
        )


class RegistrationStatus(StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    ATTENDED = "attended"


class Registration(Model):
    id = fields.IntField(primary_key=True)
    seminar: fields.ForeignKeyRelation[Seminar] = fields.ForeignKeyField(
        "club.Seminar", related_name="registrations", on_delete=fields.RESTRICT
    )
    seminar_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="registrations", on_delete=fields.RESTRICT
    )
    user_id: int
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="registrations", on_delete=fields.RESTRICT
    )
    organization_id: int
    status = fields.CharEnumField(RegistrationStatus, max_length=16)
    waitlist_position = fields.IntField(null=True)
    registered_at = fields.DatetimeField(auto_now_add=True)
    cancelled_at = fields.DatetimeField(null=True)
    checked_in_at = fields.DatetimeField(null=True)
    reminder_sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "registration"
        unique_together = (("seminar", "user"), ("seminar", "waitlist_position"))
        indexes = [("user_id", "status"), ("seminar_id", "organization_id", "status")]
