"""Run as its own process: the SME pays a claim by card through the given Stripe; a test kills it midway.

python -m tests.support.dying_payment <database url> <stripe api base> <claim id> <sme e-mail>
"""

from __future__ import annotations

import asyncio
import sys

from server.models import Role, RoleKind
from server.money.payments import start_claim_payment
from server.platform.actor import Actor
from server.platform.config import configure
from server.platform.db import close_database, open_database
from server.platform.settings import Settings, StripeSettings


async def main(database_url: str, api_base: str, claim_id: int, email: str) -> None:
    await open_database(database_url)
    try:
        role = (
            await Role.filter(user__email=email, kind=RoleKind.SME_REPRESENTATIVE)
            .select_related("user", "organization")
            .get()
        )
        settings = Settings(
            environment="development",
            database_url=database_url,
            secret_key="test-secret-key-that-is-long-enough-0123456789",
            base_url="http://testserver",
            smtp_url=None,
            mail_from="Club <noreply@techclub.test>",
            oidc=None,
            stripe=StripeSettings("sk_test_club", "pk_test_club", "whsec_club_test_secret", api_base),
        )
        configure(settings)
        actor = Actor(role.user, role.organization, role.kind)
        await start_claim_payment(actor=actor, claim_id=claim_id, payment_method="pm_card_visa")
    finally:
        await close_database()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]))
