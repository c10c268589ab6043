"""The collector pause around bulk builds (restore, reset to a baseline, snapshots) is
counted, so overlapping builds leave the collector as the first one found it."""

from __future__ import annotations

import gc

from mockscim.engine.bulk import collector_paused


def test_the_pause_nests_and_restores_an_enabled_collector() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer build is still running
    assert gc.isenabled()


def test_a_collector_the_user_disabled_stays_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_inside_still_restores_the_collector() -> None:
    try:
        with collector_paused():
            raise ValueError("malformed snapshot")
    except ValueError:
        pass
    assert gc.isenabled()
