"""사업자등록번호: ten digits, a check digit, and a few impossible shapes."""

import pytest

from server.membership.business_number import (
    EXAMPLE,
    check_digit,
    complete,
    format_number,
    normalize,
    problem,
)


def test_the_specification_example_is_valid_in_any_common_spelling() -> None:
    assert normalize("134-86-72683") == "1348672683"
    assert normalize("1348672683") == "1348672683"
    assert normalize(" 134 86 72683 ") == "1348672683"


def test_a_wrong_check_digit_is_refused() -> None:
    assert normalize("134-86-72684") is None


def test_the_check_digit_follows_the_national_weights() -> None:
    # 1*1+3*3+4*7+8*1+6*3+7*7+2*1+6*3+8*5 = 173, plus floor(8*5/10) = 4 -> 177 -> (10-7)%10 = 3
    assert check_digit("134867268") == 3


@pytest.mark.parametrize(
    "first_nine",
    ["100867268", "134007268", "134860000"],
    ids=["office code below 101", "middle digits 00", "serial 0000"],
)
def test_impossible_shapes_are_refused_even_with_a_correct_check_digit(first_nine: str) -> None:
    assert normalize(complete(first_nine)) is None


@pytest.mark.parametrize("number", ["134-86-7268", "134-86-726830", "abc-de-fghij", ""])
def test_malformed_input_is_refused(number: str) -> None:
    assert normalize(number) is None


def test_numbers_are_shown_with_dashes() -> None:
    assert format_number("1348672683") == "134-86-72683"


def test_the_refusal_says_the_check_digit_failed_and_its_example_is_itself_valid() -> None:
    assert normalize(EXAMPLE) is not None
    assert "check digit" in problem("134-86-72684") and EXAMPLE in problem("134-86-72684")
    assert "ten digits" in problem("134-86-7268")
    assert "cannot be zero" in problem(complete("134000123"))
