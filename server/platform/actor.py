"""Who a request acts as: one person in one organisation, with one role there."""

from __future__ import annotations

from dataclasses import dataclass

from server.models import Organization, OrganizationKind, RoleKind, User


@dataclass(frozen=True)
class Actor:
    user: User
    organization: Organization
    role: RoleKind
    session_id: int | None = None  # the browser session it came from; None for an API token

    @property
    def is_secretariat(self) -> bool:
        return self.role == RoleKind.SECRETARIAT and self.organization.kind == OrganizationKind.SECRETARIAT

    @property
    def is_coordinator(self) -> bool:
        return self.role == RoleKind.COORDINATOR and self.organization.kind == OrganizationKind.CONGLOMERATE

    @property
    def is_sme_representative(self) -> bool:
        return self.role == RoleKind.SME_REPRESENTATIVE and self.organization.kind == OrganizationKind.SME
