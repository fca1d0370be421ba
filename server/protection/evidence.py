"""Evidence on a case: per file the SME chooses upload, or its SHA-256 fingerprint alone.

A fingerprint-only file never leaves the company: the browser computes the digest (frontend/static/
fingerprint.js) and only the name, size, type and digest are posted. An uploaded file is limited in size,
its type is taken from an allow-list by its name and checked against its first bytes, its fingerprint is
recomputed here and must match what the browser computed, and it is stored encrypted (`files`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from server.models import CaseEntry, CaseEvidence, EntryKind, ProtectionCase
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, FieldError
from server.platform.text import has_odd_characters
from server.protection import files

MAX_UPLOAD_BYTES = 1024 * 1024  # under the request body cap even as base64 through GraphQL
MAX_FILES = 20
MAX_DECLARED_SIZE = 10**13  # a fingerprinted file stays with the SME: any size it may hold
SHA256 = re.compile(r"[0-9a-f]{64}")
OOXML = b"PK\x03\x04"
# Extension → the type it is served as, and how such a file begins (None: plain text, no signature).
UPLOAD_TYPES: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".zip": ("application/zip", OOXML),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", OOXML),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", OOXML),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", OOXML),
    ".hwp": ("application/x-hwp", b"\xd0\xcf\x11\xe0"),
    ".txt": ("text/plain", None),
    ".log": ("text/plain", None),
    ".csv": ("text/csv", None),
}


@dataclass(frozen=True)
class EvidenceInput:
    name: str
    size: int
    content_type: str
    sha256: str
    content: bytes | None = None  # None: fingerprint only


def _refusal(message: str, **params: object) -> FieldError:
    return FieldError(ErrorCode.INVALID, message, "evidence", params or None)


def _text_ok(value: str, limit: int) -> bool:
    return 0 < len(value.strip()) <= limit and not has_odd_characters(value)


def upload_type(name: str, content: bytes) -> str | None:
    """The type an uploaded file is served as, or None when its name or first bytes are not allowed."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = UPLOAD_TYPES.get(suffix)
    if allowed is None:
        return None
    served, signature = allowed
    if signature is None:
        return served if b"\x00" not in content[:4096] else None
    return served if content.startswith(signature) else None


def checked(items: list[EvidenceInput]) -> list[EvidenceInput]:
    """The evidence as it will be kept, or every reason it may not be."""
    problems: list[FieldError] = []
    kept: list[EvidenceInput] = []
    if len(items) > MAX_FILES:
        raise DomainError(_refusal("At most %(count)s files at a time.", count=MAX_FILES))
    for item in items:
        name = item.name.strip().replace("\\", "/").rsplit("/", 1)[-1]
        digest = item.sha256.strip().lower()
        if not _text_ok(name, 255):
            problems.append(_refusal("Each file needs a name (255 characters at most)."))
            continue
        if not SHA256.fullmatch(digest):
            problems.append(_refusal("The fingerprint of %(name)s is not a SHA-256 digest.", name=name))
            continue
        content_type = item.content_type.strip()[:100] or "application/octet-stream"
        if has_odd_characters(content_type):
            content_type = "application/octet-stream"
        if item.content is None:
            if not 0 <= item.size <= MAX_DECLARED_SIZE:
                problems.append(_refusal("The size of %(name)s is not possible.", name=name))
                continue
            kept.append(EvidenceInput(name, item.size, content_type, digest))
            continue
        content = item.content
        if len(content) > MAX_UPLOAD_BYTES:
            problems.append(_refusal("%(name)s is larger than 1 MB: add its fingerprint only.", name=name))
        elif (served := upload_type(name, content)) is None:
            problems.append(
                _refusal("%(name)s is not a PDF, image, office, HWP, ZIP or text file.", name=name)
            )
        elif hashlib.sha256(content).hexdigest() != digest:
            problems.append(_refusal("%(name)s arrived changed: its fingerprint does not match.", name=name))
        else:
            kept.append(EvidenceInput(name, len(content), served, digest, content))
    if problems:
        raise DomainError(*problems)
    return kept


async def attach(case: ProtectionCase, items: list[EvidenceInput], actor: Actor) -> list[CaseEvidence]:
    """Store checked evidence on the case, inside the caller's transaction."""
    added = []
    for item in items:
        key = ""
        if item.content is not None:
            key = files.new_key()
            await files.put(key, item.content)
        evidence = await CaseEvidence.create(
            case=case,
            name=item.name,
            size=item.size,
            content_type=item.content_type,
            sha256=item.sha256,
            stored_key=key,
            added_by=actor.user,
        )
        await CaseEntry.create(case=case, kind=EntryKind.EVIDENCE, author=actor.user, body=item.name)
        added.append(evidence)
    return added
