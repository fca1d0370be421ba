"""Mails read like a Korean office wrote them and link to the claim or seminar they are about."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from server.platform.outbox import compose_mail
from server.platform.settings import Settings
from server.platform.timeutil import SEOUL


def test_a_claim_mail_fits_its_particles_and_links_to_the_claim(settings: Settings) -> None:
    sponsor = SimpleNamespace(name_ko="삼성전자", name_en="Samsung Electronics")
    claim = SimpleNamespace(
        id=12,
        commitment=SimpleNamespace(conglomerate=sponsor),
        service=SimpleNamespace(name_ko="기술자료 임치 신규 계약", name_en="New escrow contract"),
        rejection_reason="증빙 부족",
    )
    mail = compose_mail("rep@hanbit.test", "claim_rejected", claim=claim)
    assert "삼성전자가 기술자료 임치 신규 계약 지원 신청을 반려했습니다." in mail.body
    assert "이(가)" not in mail.body
    assert "http://testserver/claims/12" in mail.body


def test_a_seminar_reminder_fits_its_particle_and_links_to_the_seminar(settings: Settings) -> None:
    starts = datetime(2026, 12, 14, 14, tzinfo=SEOUL)
    seminar = SimpleNamespace(
        id=3,
        title_ko="영업비밀 관리 기초",
        title_en="",
        starts_at=starts,
        ends_at=starts,
        venue="코엑스",
        online_url="",
    )
    mail = compose_mail(
        "rep@hanbit.test", "seminar_reminder", seminar=seminar, person=SimpleNamespace(name="이대표")
    )
    assert "「영업비밀 관리 기초」가 열립니다" in mail.body
    assert "http://testserver/seminars/3" in mail.body
