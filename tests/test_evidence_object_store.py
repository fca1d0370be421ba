"""Issue 19, step 3: with an S3-compatible store configured, evidence bytes go there, encrypted, and come
back to those who may see the case; the database keeps only the key. Against moto's server mode, a real
S3 API on a local port."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import boto3
import httpx
import pytest

from server.models import CaseEvidence, StoredFile
from server.platform.config import configure
from server.platform.settings import FileStoreSettings, Settings
from tests.support import processes
from tests.support.pages import sign_in_as
from tests.support.protection import PDF, open_case, upload
from tests.support.smtp import free_port
from tests.support.world import World
from web.app import create_app

BUCKET = "club-evidence"


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = processes.start(
        [str(processes.BIN / "moto_server"), "-p", str(port)], f"{base}/moto-api/", timeout=120
    )
    try:
        yield base
    finally:
        processes.stop(process)


@pytest.fixture
def store_settings(settings: Settings, s3_server: str) -> Settings:
    store = FileStoreSettings(
        endpoint_url=s3_server, bucket=BUCKET, access_key="test", secret_key="test", region="ap-northeast-2"
    )
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name=store.region,
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": store.region})
    value = dataclasses.replace(settings, file_store=store)
    configure(value)
    return value


async def test_evidence_goes_to_the_object_store_encrypted_and_comes_back_to_the_sme(
    store_settings: Settings, world: World
) -> None:
    case = await open_case(world.hanbit_rep, upload("drawing.pdf", PDF))
    item = await CaseEvidence.get(case_id=case.id)
    assert await StoredFile.all().count() == 0
    assert store_settings.file_store is not None
    client = boto3.client(
        "s3",
        endpoint_url=store_settings.file_store.endpoint_url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="ap-northeast-2",
    )
    at_rest = client.get_object(Bucket=BUCKET, Key=item.stored_key)["Body"].read()
    assert PDF not in at_rest and len(at_rest) == len(PDF) + 12 + 16  # nonce + ciphertext + tag
    app = create_app(store_settings, run_workers=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        await sign_in_as(http, world.hanbit_rep.email, world.hanbit_rep.password)
        answer = await http.get(f"/protection/{case.id}/evidence/{item.id}")
    assert answer.content == PDF
