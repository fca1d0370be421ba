"""What the SME is told by mail about its case: that something happened, never what (no case text, no
internal notes); the details are on the case page behind sign-in."""

from __future__ import annotations

from server.models import ProtectionCase, User
from server.platform.config import settings
from server.platform.outbox import queue_mail


async def tell_sme(case: ProtectionCase, step: str) -> None:
    """Mail the representative who opened the case; call it inside the step's transaction."""
    opener = await User.filter(id=case.opened_by_id).first() if case.opened_by_id else None
    if opener is None or not opener.is_active:
        return
    link = f"{settings().base_url}/protection/{case.id}"
    await queue_mail(opener.email, f"case_{step}", case=case, link=link)
