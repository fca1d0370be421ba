"""Evidence bytes at rest: AES-GCM encrypted, in the database (default) or an S3-compatible store.

Every app process on every machine reads the same store. The key comes from FILE_ENCRYPTION_KEY (32 bytes,
base64); without it, development and demo derive one from SECRET_KEY and say so loudly in the log, so that
an operator never mistakes the demo for protection. Each object is bound to its storage key as associated
data: ciphertexts swapped between rows do not decrypt.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import os
import secrets

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from server.models import StoredFile
from server.platform.config import settings
from server.platform.settings import ConfigurationError, FileStoreSettings

log = logging.getLogger("club.files")
NONCE_BYTES = 12
_warned: set[str] = set()


def encryption_key() -> bytes:
    configured = settings().file_encryption_key
    if configured:
        try:
            key = base64.b64decode(configured, validate=True)
        except ValueError as bad:
            raise ConfigurationError("FILE_ENCRYPTION_KEY must be 32 bytes in base64") from bad
        if len(key) != 32:
            raise ConfigurationError("FILE_ENCRYPTION_KEY must be 32 bytes in base64")
        return key
    secret = settings().secret_key
    if secret not in _warned:
        _warned.add(secret)
        log.warning(
            "FILE_ENCRYPTION_KEY is not set: evidence files are encrypted with a key derived from "
            "SECRET_KEY. Set FILE_ENCRYPTION_KEY (32 random bytes, base64) before storing real evidence."
        )
    return hashlib.sha256(b"club evidence files\x00" + secret.encode()).digest()


def seal(key: str, data: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(encryption_key()).encrypt(nonce, data, key.encode())


def unseal(key: str, sealed: bytes) -> bytes:
    return AESGCM(encryption_key()).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], key.encode())


def new_key() -> str:
    return f"evidence/{secrets.token_hex(16)}"


def _s3_client(store: FileStoreSettings) -> object:
    import boto3  # only deployments with an object store need it

    return boto3.client(
        "s3",
        endpoint_url=store.endpoint_url,
        aws_access_key_id=store.access_key,
        aws_secret_access_key=store.secret_key,
        region_name=store.region,
    )


async def put(key: str, data: bytes) -> None:
    """Encrypt and store; in the database this joins the caller's transaction."""
    sealed = seal(key, data)
    store = settings().file_store
    if store is None:
        await StoredFile.create(key=key, data=sealed)
        return
    client = _s3_client(store)
    await asyncio.to_thread(client.put_object, Bucket=store.bucket, Key=key, Body=sealed)  # type: ignore[attr-defined]


async def get(key: str) -> bytes:
    store = settings().file_store
    if store is None:
        row = await StoredFile.get(key=key)
        return unseal(key, bytes(row.data))
    client = _s3_client(store)
    answer = await asyncio.to_thread(client.get_object, Bucket=store.bucket, Key=key)  # type: ignore[attr-defined]
    return unseal(key, await asyncio.to_thread(answer["Body"].read))


async def delete(key: str) -> None:
    """For purging a case after its retention period."""
    store = settings().file_store
    if store is None:
        await StoredFile.filter(key=key).delete()
        return
    client = _s3_client(store)
    await asyncio.to_thread(client.delete_object, Bucket=store.bucket, Key=key)  # type: ignore[attr-defined]
