"""Domain enums exposed in the schema: registered once, used by their own Python classes."""

from __future__ import annotations

import strawberry

from server.membership.partner_queries import PartnerOrder
from server.models import (
    ApplicationStatus,
    ClaimStatus,
    CoHostingStatus,
    CommitmentStatus,
    DiagnosisStatus,
    ImportStatus,
    MembershipStatus,
    OrganizationKind,
    PartnershipStatus,
    PaymentMethod,
    ProtectionLevel,
    RegistrationStatus,
    RoleKind,
    SeminarAudience,
    SeminarStatus,
    ServiceCode,
    SupplierTier,
    TransferOutcome,
)
from server.money.claim_queries import ClaimOrder
from server.platform.errors import ErrorCode
from server.seminars.schedule import SeminarTopic

strawberry.enum(ErrorCode, description="Why an input was refused.")
strawberry.enum(OrganizationKind)
strawberry.enum(MembershipStatus)
strawberry.enum(ApplicationStatus, name="MembershipApplicationStatus")
strawberry.enum(CoHostingStatus)
strawberry.enum(RoleKind, name="Role")
strawberry.enum(SupplierTier)
strawberry.enum(PartnershipStatus)
strawberry.enum(PartnerOrder, name="PartnerOrder")
strawberry.enum(ImportStatus, name="PartnerImportStatus")
strawberry.enum(ServiceCode)
strawberry.enum(CommitmentStatus)
strawberry.enum(ClaimStatus)
strawberry.enum(ClaimOrder, name="ClaimOrder")
strawberry.enum(PaymentMethod)
strawberry.enum(TransferOutcome)
strawberry.enum(SeminarTopic, name="SeminarTopic")
strawberry.enum(SeminarAudience)
strawberry.enum(SeminarStatus)
strawberry.enum(RegistrationStatus)
strawberry.enum(ProtectionLevel)
strawberry.enum(DiagnosisStatus)
