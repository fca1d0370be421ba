"""Domain enums exposed in the schema: registered once, used by their own Python classes."""

from __future__ import annotations

import strawberry

from server.errors import ErrorCode
from server.models import (
    ImportStatus,
    MembershipStatus,
    OrganizationKind,
    PartnershipStatus,
    RoleKind,
    SupplierTier,
)
from server.partners import PartnerOrder

strawberry.enum(ErrorCode, description="Why an input was refused.")
strawberry.enum(OrganizationKind)
strawberry.enum(MembershipStatus)
strawberry.enum(RoleKind, name="Role")
strawberry.enum(SupplierTier)
strawberry.enum(PartnershipStatus)
strawberry.enum(PartnerOrder, name="PartnerOrder")
strawberry.enum(ImportStatus, name="PartnerImportStatus")
