"""The whole data model of the product (PRODUCT.md section 3)."""

from server.models.accounts import (
    ApiToken,
    Invitation,
    PasswordReset,
    Role,
    RoleKind,
    SignInThrottle,
    User,
    UserSession,
)
from server.models.audit import AuditEntry
from server.models.catalogue import Service, ServiceCode
from server.models.claims import (
    OPEN_CLAIMS,
    SETTLED_CLAIMS,
    Claim,
    ClaimStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    StripeEvent,
)
from server.models.commitments import (
    Commitment,
    CommitmentMonth,
    CommitmentStatus,
    LedgerEntry,
    LedgerEntryKind,
)
from server.models.diagnosis import (
    Diagnosis,
    DiagnosisStatus,
    ProtectionLevel,
    Questionnaire,
    QuestionnaireStatus,
)
from server.models.idempotency import IdempotencyKey
from server.models.mail import MailStatus, OutgoingMail
from server.models.money import Attention, AttentionKind, StripeCall, StripeCallKind, StripeCallState
from server.models.organizations import (
    ClubMembership,
    DeclarationKind,
    DeclarationSigning,
    MembershipStatus,
    Organization,
    OrganizationKind,
    OrganizationStatus,
)
from server.models.partnerships import (
    ImportStatus,
    PartnerImport,
    Partnership,
    PartnershipStatus,
    SupplierTier,
)
from server.models.privacy import PrivacyNotice, RemovalRequest, RemovalStatus
from server.models.seminars import (
    Registration,
    RegistrationStatus,
    Seminar,
    SeminarAudience,
    SeminarStatus,
)

__all__ = [
    "OPEN_CLAIMS",
    "SETTLED_CLAIMS",
    "ApiToken",
    "Attention",
    "AttentionKind",
    "AuditEntry",
    "Claim",
    "ClaimStatus",
    "ClubMembership",
    "Commitment",
    "CommitmentMonth",
    "CommitmentStatus",
    "DeclarationKind",
    "DeclarationSigning",
    "Diagnosis",
    "DiagnosisStatus",
    "IdempotencyKey",
    "ImportStatus",
    "Invitation",
    "LedgerEntry",
    "LedgerEntryKind",
    "MailStatus",
    "MembershipStatus",
    "Organization",
    "OrganizationKind",
    "OrganizationStatus",
    "OutgoingMail",
    "PartnerImport",
    "Partnership",
    "PartnershipStatus",
    "PasswordReset",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "PrivacyNotice",
    "ProtectionLevel",
    "Questionnaire",
    "QuestionnaireStatus",
    "Registration",
    "RegistrationStatus",
    "RemovalRequest",
    "RemovalStatus",
    "Role",
    "RoleKind",
    "Seminar",
    "SeminarAudience",
    "SeminarStatus",
    "Service",
    "ServiceCode",
    "SignInThrottle",
    "StripeCall",
    "StripeCallKind",
    "StripeCallState",
    "StripeEvent",
    "SupplierTier",
    "User",
    "UserSession",
]
