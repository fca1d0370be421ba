"""No conglomerate can add people to an SME that is not new to the platform.

Enrolling an SME that already has representatives is a partnership request its own
representatives answer; the contact address chosen by the conglomerate gets a notice
without any link that could make its holder a representative.
"""

from __future__ import annotations

import asyncio
import base64
import re
from datetime import timedelta

import httpx
import pytest

from server.membership import invitations
from server.models import (
    Invitation,
    Organization,
    OutgoingMail,
    Partnership,
    PartnershipStatus,
    Role,
    RoleKind,
    User,
)
from server.platform.errors import DomainError
from server.platform.outbox import MailWorker
from server.platform.timeutil import now
from server.platform.tokens import digest
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, sign_in_page, submit
from tests.support.smtp import SmtpServer
from tests.support.spreadsheets import csv_bytes, partner_rows
from tests.support.world import World

ATTACKER = "attacker@evil.test"
INVITE = """
mutation Invite($number: String!, $email: String!) {
  invitePartner(businessNumber: $number, nameKo: "한빛정밀", tier: FIRST, contactEmail: $email) {
    partnership { id status } errors { field code message }
  }
}
"""
ACCEPT = """
mutation Accept($token: String!) {
  acceptInvitation(token: $token, name: "공격자", password: "attacker-password") {
    me { actingFor { id } } errors { code message }
  }
}
"""
PREVIEW = """
mutation P($content: String!) {
  previewPartnerImport(filename: "p.csv", contentBase64: $content) { partnerImport { id } errors { code } }
}
"""
COMMIT = "mutation C($id: Int!) { commitPartnerImport(importId: $id) { partnerImport { status } errors { code } } }"


async def _attacker_tries_every_mailed_link(
    client: httpx.AsyncClient, smtp: SmtpServer, worker: MailWorker
) -> int:
    """Follow whatever the attacker's mailbox holds, as a stranger at a fresh browser would."""
    await worker.run_once()
    client.cookies.clear()
    tried = 0
    for message in smtp.inbox.to(ATTACKER):
        for token in re.findall(r"https?://\S+/invitations/(\S+)", message.get_content()):
            tried += 1
            await gql(client, ACCEPT, {"token": token})
    return tried


async def _assert_not_taken_over(world: World, smtp: SmtpServer) -> None:
    assert not await Role.exists(user__email=ATTACKER)
    assert not await Invitation.exists(organization_id=world.hanbit.id)
    assert [r.user_id for r in await Role.filter(organization_id=world.hanbit.id)] == [  # type: ignore[attr-defined]
        world.hanbit_rep.user.id
    ]
    [notice] = smtp.inbox.to(ATTACKER)
    assert "/invitations/" not in notice.get_content() and "LG전자" in notice["Subject"]
    [request] = smtp.inbox.to(world.hanbit_rep.email)
    assert "http://testserver/partnerships" in request.get_content()


async def test_a_conglomerate_enrolling_a_staffed_sme_only_asks_its_representatives_graphql(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    data = await gql(client, INVITE, {"number": world.hanbit.business_number, "email": ATTACKER})
    assert data["invitePartner"]["errors"] == []
    assert data["invitePartner"]["partnership"]["status"] == "INVITED"
    tried = await _attacker_tries_every_mailed_link(client, smtp, mail_worker)
    await _assert_not_taken_over(world, smtp)
    assert tried == 0

    # Hanbit's own representative answers the request from her page.
    await sign_in_page(client, world.hanbit_rep.email, world.hanbit_rep.password)
    page = await client.get("/partnerships")
    lg = await Partnership.get(conglomerate_id=world.lg.id, sme_id=world.hanbit.id)
    assert "LG전자" in page.text and f"/partnerships/{lg.id}/accept" in page.text
    answered = await submit(client, "/partnerships", f"/partnerships/{lg.id}/accept", {})
    assert answered.status_code == 303
    assert (await Partnership.get(id=lg.id)).status == PartnershipStatus.ACTIVE


async def test_a_conglomerate_enrolling_a_staffed_sme_only_asks_its_representatives_pages(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    await sign_in_page(client, world.lg_coordinator.email, world.lg_coordinator.password)
    invited = await submit(
        client,
        "/partners/invite",
        "/partners/invite",
        {
            "business_number": world.hanbit.business_number or "",
            "name_ko": "한빛정밀",
            "tier": "1",
            "contact_email": ATTACKER,
        },
    )
    assert invited.status_code == 303
    detail = await client.get(invited.headers["location"])
    assert "이미 플랫폼에 등록되어 있어" in detail.text
    tried = await _attacker_tries_every_mailed_link(client, smtp, mail_worker)
    await _assert_not_taken_over(world, smtp)
    assert tried == 0


async def test_a_spreadsheet_import_asks_staffed_smes_and_invites_only_new_ones(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    new = partner_rows(2)
    rows = [*new, [world.hanbit.business_number or "", "한빛정밀", "1", ATTACKER]]
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    preview = await gql(client, PREVIEW, {"content": base64.b64encode(csv_bytes(rows)).decode()})
    import_id = preview["previewPartnerImport"]["partnerImport"]["id"]
    committed = await gql(client, COMMIT, {"id": import_id})
    assert committed["commitPartnerImport"]["partnerImport"]["status"] == "COMMITTED"
    assert await Partnership.filter(conglomerate_id=world.lg.id).count() == 3
    assert await Invitation.filter(email__in=[r[3] for r in new]).count() == 2
    tried = await _attacker_tries_every_mailed_link(client, smtp, mail_worker)
    await _assert_not_taken_over(world, smtp)
    assert tried == 0


async def test_a_spreadsheet_import_through_the_pages_gives_the_contact_no_way_in(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    rows = [[world.hanbit.business_number or "", "한빛정밀", "1", ATTACKER]]
    await sign_in_page(client, world.lg_coordinator.email, world.lg_coordinator.password)
    form = await client.get("/partners/import")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token
    upload = await client.post(
        "/partners/import",
        data={"csrf_token": token.group(1)},
        files={"file": ("협력사.csv", csv_bytes(rows), "text/csv")},
    )
    assert upload.status_code == 303
    committed = await submit(client, upload.headers["location"], f"{upload.headers['location']}/commit", {})
    assert committed.status_code == 303
    assert (await Partnership.get(conglomerate_id=world.lg.id)).status == PartnershipStatus.INVITED
    tried = await _attacker_tries_every_mailed_link(client, smtp, mail_worker)
    await _assert_not_taken_over(world, smtp)
    assert tried == 0


async def _new_sme_enrolled_by_samsung(client: httpx.AsyncClient, world: World) -> tuple[Organization, str]:
    """Samsung enrols a company new to the platform: its contact gets the first-representative link."""
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    data = await gql(client, INVITE, {"number": "214-86-00016", "email": "ceo@sejin.test"})
    assert data["invitePartner"]["errors"] == []
    sejin = await Organization.get(business_number="2148600016")
    secret = "first-representative-secret"
    await Invitation.filter(organization_id=sejin.id).update(token_hash=digest(secret))
    return sejin, secret


async def test_an_sme_awaiting_its_first_representative_is_only_requested_by_another_conglomerate(
    client: httpx.AsyncClient, world: World
) -> None:
    sejin, secret = await _new_sme_enrolled_by_samsung(client, world)
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    data = await gql(client, INVITE, {"number": "214-86-00016", "email": ATTACKER})
    assert data["invitePartner"]["errors"] == []
    assert await Invitation.filter(organization_id=sejin.id).count() == 1  # Samsung's only

    await gql(client, "mutation { signOut { signedOut } }")
    accepted = await invitations.accept_invitation(
        secret,
        name="세진 대표",
        password="sejin-password",
        privacy_notice_version=1,  # as the page asks
    )
    assert accepted.actor.organization.id == sejin.id
    await sign_in_page(client, "ceo@sejin.test", "sejin-password")
    page = await client.get("/partnerships")
    assert (
        "LG전자" in page.text
        and f"/partnerships/{data['invitePartner']['partnership']['id']}/accept" in page.text
    )


async def test_once_an_sme_gains_a_member_its_other_first_representative_links_stop_working(
    client: httpx.AsyncClient, world: World
) -> None:
    sejin, secret = await _new_sme_enrolled_by_samsung(client, world)
    # The secretariat brings in the company's real representative first.
    await sign_in(client, world.admin.email, world.admin.password)
    invite = 'mutation I($org: Int!) { inviteUser(email: "real@sejin.test", organizationId: $org, role: SME_REPRESENTATIVE) { errors { code } } }'
    assert (await gql(client, invite, {"org": sejin.id}))["inviteUser"]["errors"] == []
    real = await Invitation.get(email="real@sejin.test")
    await Invitation.filter(id=real.id).update(token_hash=digest("real-secret"))
    await invitations.accept_invitation("real-secret", name="진짜 대표", password="real-password")

    page = await client.get(f"/invitations/{secret}")
    assert page.status_code == 400 and "이미 대표자가 있습니다" in page.text
    with pytest.raises(DomainError) as refused:
        await invitations.accept_invitation(secret, name="세진 대표", password="sejin-password")
    assert refused.value.errors[0].code == "invalid_state"
    assert not await User.exists(email="ceo@sejin.test")
    assert await Role.filter(organization_id=sejin.id).count() == 1
    # The enrolment itself still waits for the SME's answer, which its representative gives.
    assert (await Partnership.get(sme_id=sejin.id)).status == PartnershipStatus.INVITED


async def test_a_link_mailed_before_this_rule_no_longer_lets_anyone_into_a_staffed_sme(
    client: httpx.AsyncClient, world: World
) -> None:
    lg = await Partnership.create(
        conglomerate=world.lg,
        sme=world.hanbit,
        tier=1,
        contact_email=ATTACKER,
        invited_by=world.lg_coordinator.user,
    )
    await Invitation.create(
        email=ATTACKER,
        organization=world.hanbit,
        role=RoleKind.SME_REPRESENTATIVE,
        token_hash=digest("old-link"),
        invited_by=world.lg_coordinator.user,
        expires_at=now() + timedelta(days=3),
        partnership=lg,
    )
    accepted = await gql(client, ACCEPT, {"token": "old-link"})
    assert accepted["acceptInvitation"]["errors"][0]["code"] == "INVALID_STATE"
    assert not await Role.exists(user__email=ATTACKER) and not await User.exists(email=ATTACKER)


async def test_single_sign_on_with_the_contact_address_finds_no_invitation(
    sso_client: httpx.AsyncClient, oidc_provider: str, world: World
) -> None:
    from tests.test_sso import _provider_signs_in

    await sign_in(sso_client, world.lg_coordinator.email, world.lg_coordinator.password)
    await gql(sso_client, INVITE, {"number": world.hanbit.business_number, "email": ATTACKER})
    await gql(sso_client, "mutation { signOut { signedOut } }")
    refused = await _provider_signs_in(
        sso_client, oidc_provider, "evil-1", {"email": ATTACKER, "email_verified": True}
    )
    assert refused.status_code == 403
    assert not await User.exists(email=ATTACKER) and not await Role.exists(user__email=ATTACKER)


@pytest.mark.postgres_only
async def test_two_first_representative_links_accepted_at_once_make_one_representative(
    world: World,
) -> None:
    sejin = await Organization.create(kind="sme", name_ko="세진테크", business_number="2148600016")
    for conglomerate, secret in ((world.samsung, "first-a"), (world.lg, "first-b")):
        partnership = await Partnership.create(
            conglomerate=conglomerate, sme=sejin, tier=1, contact_email=f"{secret}@sejin.test"
        )
        await Invitation.create(
            email=f"{secret}@sejin.test",
            organization=sejin,
            role=RoleKind.SME_REPRESENTATIVE,
            token_hash=digest(secret),
            expires_at=now() + timedelta(days=3),
            partnership=partnership,
        )
    results = await asyncio.gather(
        *(
            invitations.accept_invitation(s, name="대표", password="a-long-password")
            for s in ("first-a", "first-b")
        ),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["Acceptance", "DomainError"]
    assert await Role.filter(organization_id=sejin.id).count() == 1


async def test_a_representative_finds_the_request_from_the_dashboard_and_declines_with_a_reason(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    await gql(client, INVITE, {"number": world.hanbit.business_number, "email": world.hanbit_rep.email})
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    home = await client.get("/")
    assert (
        "답변을 기다리는 협력사 등록 요청이 1건 있습니다" in home.text and 'href="/partnerships"' in home.text
    )
    lg = await Partnership.get(conglomerate_id=world.lg.id)
    declined = await submit(
        client, "/partnerships", f"/partnerships/{lg.id}/decline", {"reason": "거래 관계 없음"}
    )
    assert declined.status_code == 303
    lg = await Partnership.get(id=lg.id)
    assert lg.status == PartnershipStatus.ENDED and lg.end_reason == "거래 관계 없음"
    # The contact was one of Hanbit's own representatives: she got the request, not a second notice.
    assert (
        await OutgoingMail.filter(recipient=world.hanbit_rep.email, subject__contains="LG전자").count() == 1
    )


async def test_an_sme_nobody_belongs_to_gets_its_first_representative_link_and_a_re_enrolment_replaces_it(
    client: httpx.AsyncClient, world: World
) -> None:
    # Registered by the secretariat, nobody has joined it yet: the enrolment may make its first member.
    await Organization.create(kind="sme", name_ko="세진테크", business_number="2148600016")
    sejin, old_link = await _new_sme_enrolled_by_samsung(client, world)
    partnership = await Partnership.get(sme_id=sejin.id)
    end = 'mutation E($id: Int!) { endPartnership(partnershipId: $id, reason: "담당자 변경") { errors { code } } }'
    assert (await gql(client, end, {"id": partnership.id}))["endPartnership"]["errors"] == []
    again = await gql(client, INVITE, {"number": "214-86-00016", "email": "new.ceo@sejin.test"})
    assert again["invitePartner"]["errors"] == []

    with pytest.raises(DomainError) as replaced:
        await invitations.accept_invitation(old_link, name="예전 담당", password="old-contact-pw")
    assert replaced.value.errors[0].code == "expired"
    [fresh] = await Invitation.filter(organization_id=sejin.id, email="new.ceo@sejin.test")
    assert fresh.partnership_id == partnership.id and fresh.expires_at > now()  # type: ignore[attr-defined]
    assert not await Role.exists(organization_id=sejin.id)
