from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import Organization, Partnership


class RoleKind(StrEnum):
    COORDINATOR = "coordinator"
    SME_REPRESENTATIVE = "sme_representative"
    SECRETARIAT = "secretariat"
    # A colleague who takes part (seminars, reading the company's pages) but acts for it in nothing else.
    STAFF = "staff"


class User(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=100)
    password_hash = fields.CharField(max_length=200, null=True)
    oidc_subject = fields.CharField(max_length=300, unique=True, null=True)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)
    # The secret in the address of the person's calendar feed; rotating it kills the old address.
    calendar_token = fields.CharField(max_length=64, unique=True, null=True)
    # The privacy notice version the person last accepted, and when (PIPA: consent is recorded).
    privacy_notice_version = fields.IntField(null=True)
    privacy_notice_accepted_at = fields.DatetimeField(null=True)
    # Set when the person was removed at their request: the row stays for the records, anonymised.
    removed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "user"

    def __str__(self) -> str:
        return self.name


class Role(Model):
    """What one person is in one organisation."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="roles", on_delete=fields.CASCADE
    )
    user_id: int
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="roles", on_delete=fields.CASCADE
    )
    organization_id: int
    kind = fields.CharEnumField(RoleKind, max_length=32)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "role"
        unique_together = (("user", "organization"),)


class Invitation(Model):
    """A one-time link for a person to join an organisation with a role."""

    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254)
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="invitations", on_delete=fields.CASCADE
    )
    organization_id: int
    role = fields.CharEnumField(RoleKind, max_length=32)
    token_hash = fields.CharField(max_length=64, unique=True)
    invited_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="sent_invitations", null=True, on_delete=fields.SET_NULL
    )
    invited_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)
    accepted_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="accepted_invitations", null=True, on_delete=fields.SET_NULL
    )
    accepted_by_id: int | None
    # Set when a conglomerate invites an SME: the link then leads to the partnership's decision.
    partnership: fields.ForeignKeyNullableRelation[Partnership] = fields.ForeignKeyField(
        "club.Partnership", related_name="invitations", null=True, on_delete=fields.CASCADE
    )
    partnership_id: int | None

    class Meta:
        table = "invitation"
        indexes = [("organization_id", "created_at")]


class ApiToken(Model):
    """A bearer token for scripts: opaque to its holder, stored here only as a hash."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="api_tokens", on_delete=fields.CASCADE
    )
    user_id: int
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="api_tokens", on_delete=fields.CASCADE
    )
    organization_id: int
    name = fields.CharField(max_length=100)
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"


class SignInThrottle(Model):
    """Failed password sign-ins counted per key: a client address, an account, or an account at an address.

    Unknown e-mails are counted like known ones, so both answer alike.
    """

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=400, unique=True)
    failures = fields.IntField(default=0)
    window_started_at = fields.DatetimeField()
    locked_until = fields.DatetimeField(null=True)

    class Meta:
        table = "sign_in_throttle"


class UserSession(Model):
    """A signed-in browser. Its cookie holds only the secret, and the row decides whether it still works."""

    id = fields.IntField(primary_key=True)
    secret_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="sessions", on_delete=fields.CASCADE
    )
    user_id: int
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="sessions", on_delete=fields.CASCADE
    )
    organization_id: int
    created_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    user_agent = fields.CharField(max_length=100, default="")
    client_address = fields.CharField(max_length=64, default="")

    class Meta:
        table = "user_session"
        indexes = [("user_id", "revoked_at")]


class PasswordReset(Model):
    """A mailed single-use link to set a new password. Only the hash of its secret is kept."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="password_resets", on_delete=fields.CASCADE
    )
    user_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "password_reset"
