"""Domain enums exposed in the schema: registered once, used by their own Python classes."""

from __future__ import annotations

import strawberry

from server.errors import ErrorCode
from server.models import MembershipStatus, OrganizationKind, RoleKind

strawberry.enum(ErrorCode, description="Why an input was refused.")
strawberry.enum(OrganizationKind)
strawberry.enum(MembershipStatus)
strawberry.enum(RoleKind, name="Role")
