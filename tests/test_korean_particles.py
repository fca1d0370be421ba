"""Particles read like a Korean office wrote them: chosen from the last sound of the word before."""

from __future__ import annotations

import pytest

from server.platform.errors import DomainError, ErrorCode
from server.platform.korean import josa, particles


@pytest.mark.parametrize(
    ("word", "particle", "expected"),
    [
        ("삼성전자", "이(가)", "삼성전자가"),
        ("한빛정밀", "이(가)", "한빛정밀이"),
        ("한빛정밀", "을(를)", "한빛정밀을"),
        ("LG전자", "은(는)", "LG전자는"),
        ("코엑스 301호", "은(는)", "코엑스 301호는"),
        ("세진테크", "과(와)", "세진테크와"),
        ("대성기공", "와(과)", "대성기공과"),
        ("직원", "(으)로", "직원으로"),
        ("중소기업 담당자", "(으)로", "중소기업 담당자로"),
        ("서울", "(으)로", "서울로"),
        ("rep@hanbit.test", "(으)로", "rep@hanbit.test로"),
        ("90,000원", "이(가)", "90,000원이"),
        ("3", "을(를)", "3을"),
        ("2", "을(를)", "2를"),
        ("10", "(으)로", "10으로"),
        ("7", "(으)로", "7로"),
        ("KT", "이(가)", "KT가"),
        ("LG", "이(가)", "LG가"),
        ("SKM", "은(는)", "SKM은"),
        ("Samsung", "은(는)", "Samsung은"),
        ("계약(300,000원)", "을(를)", "계약(300,000원)을"),
        ("「워크숍」", "이(가)", "「워크숍」이"),
        ("#", "을(를)", "#을(를)"),
    ],
)
def test_a_particle_fits_the_last_sound_of_its_word(word: str, particle: str, expected: str) -> None:
    assert josa(word, particle) == expected


def test_a_message_resolves_each_particle_and_leaves_a_spaced_one_alone() -> None:
    assert particles("삼성전자이(가) 한빛정밀을(를) 1차 협력사로 등록하고 LG전자과(와) 논의") == (
        "삼성전자가 한빛정밀을 1차 협력사로 등록하고 LG전자와 논의"
    )
    assert particles("이름 을(를)") == "이름 을(를)"


def test_a_refusal_reads_with_the_right_particle_once_filled_in() -> None:
    error = DomainError.single(
        ErrorCode.DUPLICATE, "%(venue)s은(는) 사용 중입니다.", "venue", venue="세미나실"
    )
    assert error.errors[0].text() == "세미나실은 사용 중입니다."


def test_a_message_asked_again_reads_as_the_first_time_in_each_language() -> None:
    from frontend.i18n import use_language
    from frontend.render import templates

    # A name with 이(가) is fitted once filled in; the page's own lists ask the same message row by row.
    template = templates.env.from_string(
        '{{ _("%(count)s partners", count=n) }}|{{ _("Search") }}|{{ _("%(name)s has withdrawn from the club: its commitments are closed.", name=who) }}'
    )
    seen = []
    for language in ("ko", "en", "ko", "en"):
        use_language(language)
        seen.append((template.render(n=3, who="한빛"), template.render(n=4, who="삼성")))
    use_language("ko")

    withdrawn = "클럽에서 탈퇴하여 지원 약정이 종료되었습니다."
    assert (
        seen[0] == seen[2] == (f"협력사 3개|검색|한빛이 {withdrawn}", f"협력사 4개|검색|삼성이 {withdrawn}")
    )
    english = "has withdrawn from the club: its commitments are closed."
    assert seen[1] == seen[3] == (f"3 partners|Search|한빛 {english}", f"4 partners|Search|삼성 {english}")
