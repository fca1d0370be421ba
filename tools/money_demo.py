"""`make money-demo`: the demo club with card payments switched on, all on this machine.

Starts localstripe (a fake Stripe API that also serves a fake Stripe.js), a mail catcher (aiosmtpd,
writing each mail into var/money-demo-mail/ as a Maildir) and the app with STRIPE_* and SMTP_URL
pointing at them, and registers the app's /stripe/webhook at localstripe, as tests/conftest.py does.
Ctrl-C stops all three. The demo uses its own database, var/money-demo.sqlite3.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WEBHOOK_SECRET = "whsec_money_demo"  # noqa: S105 - a fake Stripe's, for this machine only


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} stopped at start (exit {process.returncode})")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit(f"{what} does not answer at {url}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--check", action="store_true", help="start everything, check it answers, stop")
    args = parser.parse_args()
    var = Path(os.environ.get("CLUB_VAR_DIR", ROOT / "var")).resolve()
    mail_dir = var / "money-demo-mail"
    var.mkdir(exist_ok=True)  # not mail_dir: the catcher makes it a Maildir (new/, cur/, tmp/) itself
    stripe_port, smtp_port = free_port(), free_port()
    stripe_base = f"http://127.0.0.1:{stripe_port}"
    app_base = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("MONEY_DEMO_DATABASE_URL", f"sqlite://{var}/money-demo.sqlite3"),
        "PORT": str(args.port),
        "STRIPE_SECRET_KEY": "sk_test_money_demo",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_money_demo",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": stripe_base,
        "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
    }
    helpers: list[subprocess.Popen[bytes]] = []
    try:
        stripe = subprocess.Popen([str(BIN / "localstripe"), "--port", str(stripe_port), "--from-scratch"])
        helpers.append(stripe)
        mail = subprocess.Popen(
            [str(BIN / "aiosmtpd"), "-n", "-u", "-l", f"127.0.0.1:{smtp_port}",
             "-c", "aiosmtpd.handlers.Mailbox", str(mail_dir)],
        )  # fmt: skip
        helpers.append(mail)
        wait_for(f"{stripe_base}/js.stripe.com/v3/", stripe, "localstripe")
        subprocess.run([str(BIN / "club"), "migrate"], env=env, check=True, cwd=ROOT)
        subprocess.run([str(BIN / "club"), "demo", "--if-empty"], env=env, check=True, cwd=ROOT)
        registered = httpx.post(
            f"{stripe_base}/_config/webhooks/club",
            data={"url": f"{app_base}/stripe/webhook", "secret": WEBHOOK_SECRET},
        )
        registered.raise_for_status()
        server = subprocess.Popen([str(BIN / "club"), "serve", "--port", str(args.port)], env=env, cwd=ROOT)
        helpers.append(server)
        wait_for(f"{app_base}/readyz", server, "the app")
        print(
            f"\nCard payments are on: Stripe is faked by localstripe at {stripe_base}, its webhook goes to"
            f" {app_base}/stripe/webhook.\nMail is caught in {mail_dir}/new (one file a mail)."
            "\nTry it: as coordinator@samsung.demo approve the claim waiting for review, then as"
            " rep@hanbit.demo pay its share with card 4242 4242 4242 4242 (any future date, any CVC)."
            "\nCtrl-C stops the app, localstripe and the mail catcher.\n",
            flush=True,
        )
        if args.check:
            return 0
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for process in reversed(helpers):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
