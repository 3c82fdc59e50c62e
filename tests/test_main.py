"""``python -m dask_variants demo``: the README's first command, at a small size."""
import pytest

from dask_variants.__main__ import demo, main


def test_main_demo_trains_every_model_and_reports(capsys):
    assert main(["demo", "--rows", "4000", "--blocks", "8"]) == 0
    out = capsys.readouterr().out
    assert "4,000 rows x 20 features" in out and "in 8 blocks of 500 rows" in out
    assert out.count("accuracy") == 3 and "peak memory" in out


def test_main_demo_scores_above_chance():
    results = demo(rows=4000, features=20, blocks=8, seed=0)
    assert len(results) == 3
    for step in results.values():
        assert step["accuracy"] > 0.6


def test_main_rejects_more_blocks_than_rows():
    with pytest.raises(SystemExit):
        main(["demo", "--rows", "3", "--blocks", "8"])
