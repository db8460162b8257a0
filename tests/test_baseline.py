"""The quality baseline (tests/baseline.py): regressions fail, loose floors fail, the ratchet only raises."""

from __future__ import annotations

import json

import pytest
from baseline import gate, load


@pytest.fixture
def pinned(tmp_path):
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"recall": {"direction": "min", "value": 0.9},
                                "wrong": {"direction": "max", "value": 0.01}}))
    return path


def test_worse_than_pinned_fails(pinned):
    with pytest.raises(AssertionError, match="worse than the pinned floor"):
        gate("recall", 0.89, path=pinned)
    with pytest.raises(AssertionError, match="worse than the pinned ceiling"):
        gate("wrong", 0.02, path=pinned)
    gate("recall", 0.9, path=pinned)
    gate("wrong", 0.01, path=pinned)


def test_a_floor_far_below_the_measurement_fails(pinned):
    with pytest.raises(AssertionError, match="raise the baseline"):
        gate("recall", 0.97, path=pinned)
    with pytest.raises(AssertionError, match="no baseline"):
        gate("unknown", 0.5, path=pinned)


def test_the_ratchet_raises_and_never_lowers(pinned, monkeypatch):
    monkeypatch.setenv("BRIEFINGS_RATCHET", "1")
    gate("recall", 0.97777, path=pinned)
    gate("wrong", 0.00333, path=pinned)
    assert load(pinned)["recall"]["value"] == 0.9777  # rounded to the safe side
    assert load(pinned)["wrong"]["value"] == 0.0034
    with pytest.raises(AssertionError, match="worse"):
        gate("recall", 0.95, path=pinned)
    assert load(pinned)["recall"]["value"] == 0.9777

