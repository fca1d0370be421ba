"""Every page of the club, per role, in one table: what the phone walk visits (tests/browser/test_every_page.py).

`seeded_club` builds a club with at least one of every thing a page shows (a year of claims, a seminar, a
diagnosis, a protection case, an application, a partner import, a declaration signing, an invitation and a
password reset); `every_page` lists each page each role may open in it. `SKIPPED` names the page routes the
walk does not visit and why, so a new page either joins the table or says here why it does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from server.accounts.credentials import request_password_reset
from server.membership.applications import ApplicationForm, apply_for_membership
from server.membership.business_number import complete
from server.membership.invitations import invite_user
from server.membership.organizations import sign_declaration
from server.membership.partner_import import preview_partner_import
from server.models import (
    CaseEvidence,
    DeclarationSigning,
    Diagnosis,
    OutgoingMail,
    Partnership,
    RoleKind,
    Seminar,
    SeminarStatus,
    Service,
)
from tests.support.club_year import club_year
from tests.support.costs import acting
from tests.support.protection import open_case, upload
from tests.support.seminars import published
from tests.support.spreadsheets import csv_bytes, partner_rows
from tests.support.world import Person, World, person

# Routes that answer a file, a redirect or a probe, not a page a person reads.
SKIPPED = {
    "/healthz": "a liveness probe (text)",
    "/readyz": "a readiness probe (text)",
    "/lang/{language}": "sets the language and redirects back",
    "/declaration/signings/{signing_id:int}/pdf": "a PDF file",
    "/partners/export.csv": "a CSV file",
    "/statements.csv": "a CSV file",
    "/reports.xlsx": "a spreadsheet file",
    "/reports.csv": "a CSV file",
    "/reports/sponsor.xlsx": "a spreadsheet file",
    "/reports/sponsor.csv": "a CSV file",
    "/seminars/{seminar_id:int}.ics": "a calendar file",
    "/seminars/{seminar_id:int}/attendance.csv": "a CSV file",
    "/calendar/{token:str}.ics": "a calendar feed",
    "/protection/{case_id:int}/evidence/{evidence_id:int}": "an evidence file's bytes",
    "/audit.csv": "a CSV file",
    "/privacy/my-data.json": "a JSON file",
    "/claims/{claim_id:int}/pay": "the card page needs Stripe (localstripe): test_content_security_policy pays on it",
}

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Visit:
    role: str
    path: str
    main: bool = False  # a main page: the walk keeps a screenshot of it at each size


@dataclass
class SeededClub:
    people: dict[str, Person]
    visits: list[Visit]


def _secret(body: str, prefix: str) -> str:
    found = re.search(rf"{re.escape(prefix)}(\S+)", body)
    assert found, body
    return found.group(1)


async def _mailed_secret(email: str, prefix: str) -> str:
    mail = await OutgoingMail.filter(recipient=email).order_by("-id").first()
    assert mail is not None
    return _secret(mail.body, prefix)


async def seeded_club(world: World) -> SeededClub:
    year = await club_year(world)
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    samsung = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    staff = await person("staff@hanbit.test", world.hanbit, RoleKind.STAFF, "정직원")

    case = await open_case(world.hanbit_rep, upload("도면.pdf", b"%PDF-1.4\n% gearbox\n"))
    evidence = await CaseEvidence.filter(case_id=case.id).first()
    assert evidence is not None
    application = await apply_for_membership(
        ApplicationForm(
            name_ko="현대자동차",
            business_number=complete("301810007"),
            contact_name="최담당",
            contact_email="choi@hyundai.test",
            signer_name="정대표",
        ),
        client="192.0.2.1",
    )
    imported = await preview_partner_import(
        actor=samsung, filename="partners.csv", content=csv_bytes(partner_rows(3))
    )
    await sign_declaration(
        actor=secretariat,
        organization_id=world.samsung.id,
        signed_on=date(2011, 11, 1),
        signer_name="홍길동",
        signer_title="대표이사",
        pledges=(True, True, True, True),
    )
    signing = await DeclarationSigning.first()
    assert signing is not None
    await invite_user(
        actor=secretariat, email="new.person@samsung.test", organization_id=world.samsung.id,
        role=RoleKind.COORDINATOR,
    )  # fmt: skip
    invitation = await _mailed_secret("new.person@samsung.test", "/invitations/")
    await request_password_reset(world.lg_coordinator.email, client="192.0.2.1")
    reset = await _mailed_secret(world.lg_coordinator.email, "/password/reset/")

    attended = await Seminar.first()
    assert attended is not None
    attended.status = SeminarStatus.COMPLETED  # as the day after it: its attendees have a certificate
    await attended.save(update_fields=["status"])
    seminar = await published(world.admin, title_ko="영업비밀 관리 기초", venue="서울 중구 을지로 100")
    diagnosis = await Diagnosis.filter(sme_id=world.hanbit.id).first()
    partnership = await Partnership.get(conglomerate_id=world.samsung.id, sme_id=world.hanbit.id)
    service = await Service.first()
    assert seminar and diagnosis and service
    pledge = year.paid.commitment_id  # type: ignore[attr-defined]
    claim, paid = year.approved.id, year.paid.id

    everyone = ["/", "/organizations", "/declaration", "/seminars", f"/seminars/{seminar.id}", "/audit",
                "/account/tokens", "/account/sessions", "/account/password", "/privacy", "/privacy/notice",
                f"/organizations/{world.hanbit.id}", f"/declaration/signings/{signing.id}"]  # fmt: skip
    members = ["/my/registrations", "/commitments", "/claims"]
    pages = {
        ANONYMOUS: ["/signin", "/welcome", "/apply", f"/invitations/{invitation}", "/password/forgot",
                    f"/password/reset/{reset}", "/verify"],
        "secretariat": [*everyone, "/commitments", "/claims", "/claims?status=paid", "/statements", "/reports",
                        "/services", f"/services/{service.id}", "/questionnaires", "/applications", f"/applications/{application.id}",
                        "/diagnosis/statistics", "/protection", "/protection/statistics", f"/protection/{case.id}",
                        "/partnerships", "/mail", "/attention", "/privacy/removals", "/co-hosting",
                        "/organizations/new", f"/organizations/{world.samsung.id}",
                        f"/organizations/{world.samsung.id}/edit", "/declaration/publish", "/privacy/notice/publish", "/seminars/new",
                        f"/seminars/{seminar.id}/edit", f"/seminars/{seminar.id}/check-in",
                        f"/commitments/{pledge}", f"/claims/{paid}", f"/claims/{paid}/receipt", "/deposits",
                        f"/diagnosis/{diagnosis.id}"],
        "coordinator": [*everyone, *members, "/partners", "/partners/invite", "/partners/import",
                        f"/partners/import/{imported.id}", f"/partners/{partnership.id}", "/commitments/new",
                        f"/commitments/{pledge}", f"/claims/{claim}", "/statements", "/reports/sponsor",
                        "/co-hosting", f"/organizations/{world.samsung.id}", f"/diagnosis/{diagnosis.id}",
                        f"/seminars/{seminar.id}/colleagues"],
        "sme": [*everyone, *members, "/partnerships", f"/commitments/{pledge}", f"/claims/new?commitment={pledge}&service={service.id}",
                f"/claims/{claim}", f"/claims/{paid}", f"/claims/{paid}/receipt", "/diagnosis",
                "/diagnosis/history", f"/diagnosis/{diagnosis.id}", "/protection", "/protection/new",
                f"/protection/{case.id}", "/deposits", f"/seminars/{attended.id}/certificate",
                f"/seminars/{seminar.id}/colleagues"],
        "staff": [*everyone, "/my/registrations"],
    }  # fmt: skip
    main = {"/", "/signin", "/commitments", "/claims", f"/claims/{claim}", "/partners", "/statements",
            "/diagnosis", f"/diagnosis/{diagnosis.id}", "/seminars", "/reports", "/reports/sponsor",
            "/protection/new", f"/claims/new?commitment={pledge}&service={service.id}", "/seminars/new", "/commitments/new",
            f"/commitments/{pledge}", "/diagnosis/history", f"/invitations/{invitation}"}  # fmt: skip
    people = {
        "secretariat": world.admin,
        "coordinator": world.samsung_coordinator,
        "sme": world.hanbit_rep,
        "staff": staff,
    }
    visits = [Visit(role, path, path in main) for role, paths in pages.items() for path in paths]
    return SeededClub(people, visits)
