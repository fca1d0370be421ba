"""Issue 19, step 3: evidence files. Uploads are size-limited, type-checked by name and first bytes,
fingerprint-checked, encrypted at rest and served only as attachments to those who may see the case."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from server.models import CaseEvidence, StoredFile
from server.platform.errors import DomainError
from server.protection.evidence import MAX_UPLOAD_BYTES, EvidenceInput
from tests.support.pages import sign_in_as
from tests.support.protection import PDF, fingerprint_only, open_case, upload
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("settings")


async def test_an_uploaded_file_is_kept_encrypted_and_a_fingerprint_only_file_is_not_kept_at_all(
    world: World,
) -> None:
    await open_case(world.hanbit_rep, upload("drawing.pdf", PDF), fingerprint_only("src.zip", b"secret code"))
    stored = await StoredFile.all()
    assert len(stored) == 1
    assert PDF not in bytes(stored[0].data) and b"gearbox" not in bytes(stored[0].data)
    kept, fingerprinted = await CaseEvidence.all().order_by("id")
    assert kept.stored_key == stored[0].key and kept.content_type == "application/pdf"
    assert (
        fingerprinted.stored_key == "" and fingerprinted.sha256 == hashlib.sha256(b"secret code").hexdigest()
    )


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        (upload("page.html", b"<script>alert(1)</script>"), "is not a PDF"),
        (upload("fake.pdf", b"<html>not a pdf</html>"), "is not a PDF"),
        (upload("big.txt", b"a" * (MAX_UPLOAD_BYTES + 1)), "larger than 1 MB"),
        (EvidenceInput("notes.pdf", len(PDF), "", "0" * 64, PDF), "arrived changed"),
        (EvidenceInput("x.zip", 10, "", "not-a-digest"), "not a SHA-256"),
    ],
)
async def test_uploads_of_the_wrong_type_size_or_fingerprint_are_refused(
    world: World, evidence: EvidenceInput, message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        await open_case(world.hanbit_rep, evidence)
    assert message in refused.value.errors[0].text()
    assert await StoredFile.all().count() == 0


async def test_a_file_is_served_as_an_attachment_only_to_those_who_see_the_case(
    client: httpx.AsyncClient, world: World
) -> None:
    case = await open_case(world.hanbit_rep, upload("drawing.pdf", PDF))
    item = await CaseEvidence.get(case_id=case.id)
    path = f"/protection/{case.id}/evidence/{item.id}"
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    answer = await client.get(path)
    assert answer.content == PDF
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert answer.headers["x-content-type-options"] == "nosniff"
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    assert (await client.get(path)).status_code == 404
