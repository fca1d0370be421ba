"""A model built from a read path's row is the model Tortoise builds from the same row, on both databases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from tortoise.models import Model

from bench.dataset import generate
from server.models import (
    Claim,
    Commitment,
    Organization,
    Registration,
    Seminar,
    Service,
    User,
)
from server.money.catalogue import ensure_catalogue
from server.platform.sql import columns, fetch, model_from
from tests.conftest import Database

# Every model a read path builds from its rows (server/*/*_list.py, partner and actor rows).
READ_PATH_MODELS = [Claim, Commitment, Organization, Registration, Seminar, Service, User]


@pytest.fixture
async def world(db: Database) -> None:
    await ensure_catalogue()
    await generate(db.url, 0.004)


@pytest.mark.parametrize("model", READ_PATH_MODELS, ids=lambda model: model.__name__)
async def test_a_row_read_as_a_model_is_the_orm_model(world: None, model: type[Model]) -> None:
    table = model._meta.db_table
    rows = await fetch(f'SELECT {columns("x", model)} FROM "{table}" x ORDER BY x.id')
    built = [model_from("x", model, row) for row in rows]
    loaded = await model.all().order_by("id")
    assert built, f"the dataset has no {table} rows to compare"
    assert [_state(m) for m in built] == [_state(m) for m in loaded]
    assert [type(v) for m in built for v in vars(m).values()] == [
        type(v) for m in loaded for v in vars(m).values()
    ]


async def test_rows_built_as_models_share_no_state(world: None) -> None:
    first, second = [
        model_from("x", Claim, row)
        for row in await fetch(f"SELECT {columns('x', Claim)} FROM claim x LIMIT 2")
    ]
    for name, value in vars(first).items():
        if isinstance(value, dict | list | set):
            assert value is not vars(second)[name], name


def _state(row: Model) -> dict[str, Any]:
    """Every attribute of the instance, with a time's zone as its kind (UTC from the driver or from zoneinfo)."""
    return {
        name: (value, type(value.tzinfo)) if isinstance(value, datetime) else value
        for name, value in vars(row).items()
    }
