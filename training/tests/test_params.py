"""Parameter counts against the papers (training/params.py)."""
import json

from training import params

TOLERANCE = 0.05


PAPER_CONFIGS = ["stgcn-ntu60", "str-ntu60", "ttr-ntu60", "sttr-1s-ntu60"]


def test_paper_model_counts_within_five_percent():
    rows = params.model_rows(PAPER_CONFIGS)
    assert [row["config"] for row in rows if "9 layers" not in row["config"]] == PAPER_CONFIGS
    for row in rows:  # the 9-layer reading of the text stays within 5% too
        assert abs(row["relative"]) <= TOLERANCE, row


def test_module_counts_at_256_channels_within_five_percent():
    rows = params.module_rows()
    assert {row["module"] for row in rows} == {"SSA", "TSA", "GCN", "TCN"}
    for row in rows:
        assert abs(row["relative"]) <= TOLERANCE, row


def test_cli_prints_json(capsys):
    params.main(["--json"])
    report = json.loads(capsys.readouterr().out)
    assert {"models", "modules"} <= set(report)
    assert any(row["config"] == "ttr-ntu60" for row in report["models"])
