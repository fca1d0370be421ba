"""Settings read once from the environment.

Development needs nothing set: the database is an SQLite file under var/ and a
secret key is generated there. Production (CLUB_ENV=production) refuses to
start without real secrets, because a generated key would differ per process.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

VAR_DIR = Path(os.environ.get("CLUB_VAR_DIR", "var"))
DEFAULT_DATABASE_URL = f"sqlite://{VAR_DIR}/club.sqlite3"
MIN_SECRET_LENGTH = 32


class ConfigurationError(RuntimeError):
    pass


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    label: str

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


@dataclass(frozen=True)
class StripeSettings:
    secret_key: str
    publishable_key: str
    webhook_secret: str
    api_base: str | None

    @property
    def js_url(self) -> str:
        """Stripe.js, from Stripe or from the fake API server that serves its own copy."""
        return (
            f"{self.api_base.rstrip('/')}/js.stripe.com/v3/" if self.api_base else "https://js.stripe.com/v3/"
        )


@dataclass(frozen=True)
class FileStoreSettings:
    """An S3-compatible object store for evidence files; without one they are kept in the database."""

    endpoint_url: str | None
    bucket: str
    access_key: str | None
    secret_key: str | None
    region: str


@dataclass(frozen=True)
class BankAccount:
    """The club's account SMEs pay their share into by transfer (shown with each claim's reference)."""

    bank: str
    number: str
    holder: str


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class SignInLimits:
    """How failed password sign-ins are slowed and refused (see server/accounts/throttle.py)."""

    window: timedelta = timedelta(minutes=15)
    pair_lock_after: int = 5  # one account from one address: refused for the rest of the window
    account_slow_after: int = 5  # one account from anywhere: only slowed, so strangers cannot lock it
    address_slow_after: int = 10  # one address, any accounts: slowed, then refused
    address_limit: int = 30
    delay_step: float = 0.25  # seconds added per failure past the slow-down threshold
    max_delay: float = 2.0
    # Forms anyone may post that make the club send mail (applications, password resets), per address.
    anonymous_per_address: int = 10


@dataclass(frozen=True)
class Settings:
    environment: str
    database_url: str
    secret_key: str
    base_url: str
    smtp_url: str | None
    mail_from: str
    oidc: OidcSettings | None
    stripe: StripeSettings | None
    invitation_days: int = 7
    # Mail bodies, session addresses and sign-in counters are kept this long (PIPA: no longer than needed).
    # A year covers the questions people ask about a mail or a sign-in; the audit trail is not purged.
    personal_data_retention_days: int = 365
    # Idempotency keys answer a repeated request (a retry, a second click) with the first one's result;
    # a month covers any retry, and the purge keeps the table from growing with every payment.
    idempotency_key_retention_days: int = 30
    max_body_bytes: int = 2 * 1024 * 1024
    mail_worker_interval: float = 5.0
    payment_days: int = 14
    jobs_interval: float = 60.0
    # Peers whose X-Forwarded-For is believed (a reverse proxy in front of the app).
    trusted_proxies: tuple[Network, ...] = ()
    session_idle: timedelta = timedelta(hours=2)
    session_lifetime: timedelta = timedelta(hours=12)
    sign_in_limits: SignInLimits = field(default_factory=SignInLimits)
    file_encryption_key: str | None = (
        None  # base64 of 32 bytes; unset: derived from secret_key, with a warning
    )
    file_store: FileStoreSettings | None = None
    bank_account: BankAccount | None = None
    # Operations (docs/deploy.md): web processes may leave the periodic jobs and mail to `club worker`.
    run_jobs: bool = True
    log_format: str = "text"  # or "json", one object a line
    metrics_token: str | None = None  # when set, /metrics asks for "Authorization: Bearer <token>"
    sentry_dsn: str | None = None

    @property
    def production(self) -> bool:
        return self.environment == "production"


def _dev_secret() -> str:
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _oidc(env: os._Environ[str] | dict[str, str]) -> OidcSettings | None:
    issuer = env.get("OIDC_ISSUER")
    if not issuer:
        return None
    client_id = env.get("OIDC_CLIENT_ID")
    client_secret = env.get("OIDC_CLIENT_SECRET")
    if not client_id or not client_secret:
        raise ConfigurationError("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET")
    return OidcSettings(issuer, client_id, client_secret, env.get("OIDC_LABEL", "SSO"))


def _stripe(env: os._Environ[str] | dict[str, str]) -> StripeSettings | None:
    secret_key = env.get("STRIPE_SECRET_KEY")
    if not secret_key:
        return None
    webhook_secret = env.get("STRIPE_WEBHOOK_SECRET")
    if not webhook_secret:
        raise ConfigurationError("STRIPE_SECRET_KEY needs STRIPE_WEBHOOK_SECRET")
    return StripeSettings(
        secret_key=secret_key,
        publishable_key=env.get("STRIPE_PUBLISHABLE_KEY", ""),
        webhook_secret=webhook_secret,
        api_base=env.get("STRIPE_API_BASE") or None,
    )


def _file_store(env: os._Environ[str] | dict[str, str]) -> FileStoreSettings | None:
    bucket = env.get("FILE_STORE_BUCKET")
    if not bucket:
        return None
    return FileStoreSettings(
        endpoint_url=env.get("FILE_STORE_ENDPOINT_URL") or None,
        bucket=bucket,
        access_key=env.get("FILE_STORE_ACCESS_KEY") or None,
        secret_key=env.get("FILE_STORE_SECRET_KEY") or None,
        region=env.get("FILE_STORE_REGION", "ap-northeast-2"),
    )


def _bank_account(env: os._Environ[str] | dict[str, str]) -> BankAccount | None:
    values = [
        env.get(name, "").strip() for name in ("CLUB_BANK_NAME", "CLUB_BANK_ACCOUNT", "CLUB_BANK_HOLDER")
    ]
    if not any(values):
        return None
    if not all(values):
        raise ConfigurationError("CLUB_BANK_NAME, CLUB_BANK_ACCOUNT and CLUB_BANK_HOLDER go together")
    return BankAccount(*values)


def _networks(value: str) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(part.strip()) for part in value.split(",") if part.strip())
    except ValueError as bad:
        raise ConfigurationError(f"TRUSTED_PROXIES: {bad}") from bad


def _flag(env: os._Environ[str] | dict[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ConfigurationError(f"{name} must be true or false")
    return value in ("true", "1", "yes")


def served_port(env: os._Environ[str] | dict[str, str] | None = None) -> int:
    """The port `club serve` listens on unless told: $PORT (as `make run PORT=…` sets), else 8000."""
    return int((os.environ if env is None else env).get("PORT", "8000"))


def _served_url(host: str, port: int) -> str:
    # Links must be followable: a wildcard listen address is reached through the loopback one.
    host = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, f"[{host}]" if ":" in host else host)  # noqa: S104
    return f"http://{host}:{port}"


def load_settings(
    env: os._Environ[str] | dict[str, str] | None = None, *, host: str = "127.0.0.1", port: int | None = None
) -> Settings:
    """`host` and `port` are where this process serves: links follow them when BASE_URL is unset."""
    env = os.environ if env is None else env
    environment = env.get("CLUB_ENV", "development")
    if environment not in ("development", "production"):
        raise ConfigurationError("CLUB_ENV must be development or production")
    secret_key = env.get("SECRET_KEY", "")
    if environment == "production":
        if len(secret_key) < MIN_SECRET_LENGTH:
            raise ConfigurationError(
                f"production needs SECRET_KEY of at least {MIN_SECRET_LENGTH} characters"
            )
        if "DATABASE_URL" not in env:
            raise ConfigurationError("production needs DATABASE_URL")
    elif not secret_key:
        secret_key = _dev_secret()
    return Settings(
        environment=environment,
        database_url=env.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        secret_key=secret_key,
        base_url=(env.get("BASE_URL") or _served_url(host, port or served_port(env))).rstrip("/"),
        smtp_url=env.get("SMTP_URL") or None,
        mail_from=env.get("MAIL_FROM", "중소기업 기술보호 클럽 <noreply@techclub.local>"),
        oidc=_oidc(env),
        stripe=_stripe(env),
        invitation_days=int(env.get("INVITATION_DAYS", "7")),
        personal_data_retention_days=int(env.get("PERSONAL_DATA_RETENTION_DAYS", "365")),
        idempotency_key_retention_days=int(env.get("IDEMPOTENCY_KEY_RETENTION_DAYS", "30")),
        payment_days=int(env.get("CLAIM_PAYMENT_DAYS", "14")),
        trusted_proxies=_networks(env.get("TRUSTED_PROXIES", "")),
        session_idle=timedelta(minutes=int(env.get("SESSION_IDLE_MINUTES", "120"))),
        session_lifetime=timedelta(hours=int(env.get("SESSION_MAX_HOURS", "12"))),
        file_encryption_key=env.get("FILE_ENCRYPTION_KEY") or None,
        file_store=_file_store(env),
        bank_account=_bank_account(env),
        run_jobs=_flag(env, "RUN_JOBS", True),
        log_format=_log_format(env),
        metrics_token=env.get("METRICS_TOKEN") or None,
        sentry_dsn=env.get("SENTRY_DSN") or None,
    )


def _log_format(env: os._Environ[str] | dict[str, str]) -> str:
    value = env.get("LOG_FORMAT", "text").strip().lower() or "text"
    if value not in ("text", "json"):
        raise ConfigurationError("LOG_FORMAT must be text or json")
    return value
