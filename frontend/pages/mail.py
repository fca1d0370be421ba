"""The mail outbox page: what was sent, what waits, what fails; resend or give up (secretariat only).

Bodies are shown through `redact`: the secretariat must not be able to follow someone's invitation link.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import confirmed, read_form, redirect, render, require_page_actor
from server.models import MailStatus
from server.platform import mail_log
from server.platform.redaction import redact

# Labels of the statuses on this page (a failing mail is still being retried, so not "failed").
STATUS_LABELS = {
    MailStatus.PENDING: "Waiting to send",
    MailStatus.SENDING: "Sending now",
    MailStatus.SENT: "Sent to the mail server",
    MailStatus.FAILED: "Failing, retried every few hours",
    MailStatus.GIVEN_UP: "Given up",
}
RESENDABLE = (MailStatus.PENDING, MailStatus.FAILED, MailStatus.GIVEN_UP)
RETRYING = (MailStatus.PENDING, MailStatus.FAILED)


async def outbox(request: Request) -> Response:
    actor = await require_page_actor(request)
    raw_status = request.query_params.get("status")
    status = MailStatus(raw_status) if raw_status in set(MailStatus) else None
    page = await mail_log.list_mails(actor, status=status, first=25, after=request.query_params.get("after"))
    counts = await mail_log.mail_counts(actor)
    context = {
        "page": page,
        "counts": counts,
        "status": status,
        "labels": STATUS_LABELS,
        "resendable": RESENDABLE,
        "retrying": RETRYING,
        "redact": redact,
    }
    return await render(request, "mail.html", context)


async def act(request: Request) -> Response:
    """Resend now, or give up (after a confirmation page); back to the list the person came from."""
    actor = await require_page_actor(request)
    mail_id = request.path_params["mail_id"]
    form = await read_form(request)
    status = form.get("status")
    status = status if status in set(MailStatus) else ""
    back = f"/mail?status={status}"
    if request.path_params["action"] == "resend":
        await mail_log.resend_mail(actor=actor, mail_id=mail_id)
    elif request.path_params["action"] == "give-up":
        if not confirmed(form):
            mail = await mail_log.get_mail(actor, mail_id)
            context = {
                "mail": mail,
                "subject": redact(mail.subject),
                "body": redact(mail.body),
                "status": status,
                "back": back,
            }
            return await render(request, "mail_give_up.html", context)
        await mail_log.give_up_mail(actor=actor, mail_id=mail_id)
    else:
        raise HTTPException(404)
    return redirect(back)


def routes() -> list[Route]:
    return [
        Route("/mail", outbox),
        Route("/mail/{mail_id:int}/{action:str}", act, methods=["POST"]),
    ]
