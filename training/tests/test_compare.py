"""training/compare.py: one table for several configs trained on the same data, written between markers."""
import json

from training import compare
from training.data import save_dataset
from training.models.config import load_config
from training.tests.datasets import make_dataset


def test_lite_configs_cover_every_family():
    families = {load_config(name)["family"] for name in compare.lite_configs()}
    assert {"san", "stst"} <= families
    assert "stst-lite-causal" in compare.lite_configs()


def test_markers_are_replaced_not_repeated(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Models\n\nintro\n")
    compare.write_between_markers(readme, "first table")
    compare.write_between_markers(readme, "second table")
    text = readme.read_text()
    assert text.startswith("# Models\n\nintro\n")
    assert text.count(compare.COMPARE_BEGIN) == 1 and "second table" in text and "first table" not in text


def test_compare_trains_every_config_on_the_same_split_and_writes_the_table(tmp_path, capsys):
    data = tmp_path / "toy.npz"
    save_dataset(data, make_dataset(samples=20, frames=16, classes=4, subjects=5))
    configs = []
    for name, sizes in (("san-lite", {"widths": [4, 4, 4, 4], "layers": 1, "heads": 2, "segments": 1}),
                        ("stst-lite", {"embed_dim": 6, "widths": [6], "strides": [4], "attention_hidden": [2]})):
        cfg = {**load_config(name), **sizes, "name": f"{name}-toy", "window": 16, "num_classes": 4}
        path = tmp_path / f"{name}-toy.json"
        path.write_text(json.dumps(cfg))
        configs.append(str(path))
    readme = tmp_path / "README.md"
    compare.main(["--data", str(data), "--budget-epochs", "1", "--configs", ",".join(configs),
                  "--out", str(tmp_path / "runs"), "--readme", str(readme)])
    table = readme.read_text()
    assert "| san-lite-toy | san / v2 |" in table and "| stst-lite-toy | stst / directional |" in table
    splits = [json.loads((tmp_path / "runs" / name / "split.json").read_text()) for name in ("san-lite-toy", "stst-lite-toy")]
    assert splits[0] == splits[1] and len(splits[0]["test"]) == 4  # subject 5 of 1..5 is the test set
    assert "wrote the table" in capsys.readouterr().out
