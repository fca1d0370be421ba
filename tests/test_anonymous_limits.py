"""Forms anyone may post without signing in make the club send mail: one network may not turn them into a
mail cannon. Each address gets `anonymous_per_address` such requests per window; other addresses are not
affected."""

from __future__ import annotations

import dataclasses

import pytest

from server.membership.business_number import complete
from server.models import MembershipApplication, OutgoingMail
from server.platform.settings import Settings, SignInLimits
from tests.support.addresses import Browser, browsers_at
from tests.support.graphql import gql
from tests.support.world import World
from tests.test_membership_applications import APPLY, application

LIMIT = 3
RESET = "mutation R($email: String!) { requestPasswordReset(email: $email) { done errors { code } } }"


@pytest.fixture
def browser_at(settings: Settings) -> Browser:
    return browsers_at(
        dataclasses.replace(settings, sign_in_limits=SignInLimits(anonymous_per_address=LIMIT))
    )


async def test_one_address_applying_again_and_again_is_refused_and_sends_no_more_mail(
    browser_at: Browser, world: World
) -> None:
    async with browser_at("203.0.113.9") as spammer, browser_at("198.51.100.7") as applicant:
        for n in range(LIMIT):
            number = complete(f"2208100{n + 10}")
            done = await gql(
                spammer, APPLY, {"input": application(businessNumber=number, contactEmail=f"v{n}@x.test")}
            )
            assert done["applyForMembership"]["errors"] == []
        refused = await gql(spammer, APPLY, {"input": application(contactEmail="victim@x.test")})
        assert refused["applyForMembership"]["errors"][0]["code"] == "THROTTLED"
        assert not await OutgoingMail.filter(recipient="victim@x.test").exists()
        elsewhere = await gql(applicant, APPLY, {"input": application()})
        assert elsewhere["applyForMembership"]["errors"] == []
    assert await MembershipApplication.all().count() == LIMIT + 1


async def test_one_address_asking_for_many_password_resets_is_refused(
    browser_at: Browser, world: World
) -> None:
    people = [world.admin, world.samsung_coordinator, world.lg_coordinator, world.hanbit_rep]
    async with browser_at("203.0.113.9") as sprayer:
        for person in people[:LIMIT]:
            assert (await gql(sprayer, RESET, {"email": person.email}))["requestPasswordReset"]["done"]
        refused = await gql(sprayer, RESET, {"email": people[LIMIT].email})
        assert refused["requestPasswordReset"]["errors"] == [{"code": "THROTTLED"}]
    assert await OutgoingMail.filter(recipient__in=[p.email for p in people]).count() == LIMIT
