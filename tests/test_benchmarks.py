import importlib.util
import json
import math
import sys
from pathlib import Path

import pytest
import torch
from transformers import AutoConfig, BertConfig

from companion import flops, models, qa

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
MACHINE_KEYS = {"cpu", "logical_cores", "threads", "precision", "torch", "transformers"}


def load(name: str):
    if str(BENCHMARKS) not in sys.path:  # as `python benchmarks/NAME.py` does: the script's folder comes first
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def positive_finite(value: float) -> bool:
    return isinstance(value, float) and math.isfinite(value) and value > 0


@pytest.fixture(autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture()
def needs_mirror():
    from companion import data

    try:
        data.mirror_dir()
    except Exception as error:  # unit tests stay offline: without the mirror there is no SST-2 to read
        pytest.skip(f"needs the dataset mirror: {error}")


def test_bert_vs_transformers_times_every_cell_and_the_models_agree(tmp_path, monkeypatch):
    script = load("bert_vs_transformers")
    monkeypatch.setattr(script, "QUICK_GRID", {"batch_sizes": (1, 2), "lengths": (8,), "min_run_time": 0.01})
    result = script.main(["--quick", "--threads", "1", "--out", str(tmp_path / "bert.json")])
    assert json.loads((tmp_path / "bert.json").read_text(encoding="utf-8")) == result
    assert MACHINE_KEYS <= set(result["machine"]) and result["machine"]["threads"] == 1
    assert [(cell["batch"], cell["length"]) for cell in result["cells"]] == [(1, 8), (2, 8)]
    for cell in result["cells"]:
        assert all(positive_finite(cell[key]) for key in ("scratch_over_eager", "scratch_over_sdpa", "sdpa_ms"))
        assert cell["scratch_over_eager"] == pytest.approx(cell["from-scratch_ms"] / cell["eager_ms"])
        assert cell["max_abs_diff_eager"] < 1e-4 and cell["max_abs_diff_sdpa"] < 1e-4  # same weights, same outputs
    assert list(script.table(result).columns)[:3] == ["from-scratch ms", "eager ms", "sdpa ms"]
    with pytest.raises(ValueError, match="positions"):
        script.run(batch_sizes=(1,), lengths=(4096,))


def test_profile_shows_the_three_shapes_of_attention():
    script = load("bert_vs_transformers")
    trio = script.load_models()
    calls = script.profile_ops(trio, batch=1, length=8, top=100)
    layers = trio["eager"].config.num_hidden_layers
    assert calls.loc["aten::div", "from-scratch calls"] == layers and calls.loc["aten::mul", "eager calls"] == layers
    assert calls.loc["aten::add", "from-scratch calls"] == calls.loc["aten::add", "eager calls"] + layers  # the bias
    assert calls.loc["aten::_scaled_dot_product_flash_attention_for_cpu", "sdpa calls"] == layers
    assert calls.loc["aten::bmm", "sdpa calls"] == 0 and calls.loc["aten::bmm", "from-scratch calls"] == 2 * layers


def test_train_vs_trainer_runs_both_loops_on_the_same_schedule(needs_mirror):
    script = load("train_vs_trainer")
    result = script.run(rows=16, eval_rows=16, batch_size=8, max_length=16, repeats=1)
    summary, settings = result["summary"], result["settings"]
    assert settings["steps"] == 2 and settings["examples_per_run"] == 16 and settings["training_rows"] == 16
    assert sorted(run["loop"] for run in result["runs"]) == ["companion", "trainer"]
    assert all(len(run["learning_rates"]) == 2 for run in result["runs"])
    assert summary["max_lr_difference"] == pytest.approx(0.0, abs=1e-12)  # the same warm-up and decay
    for loop in script.LOOPS:
        assert positive_finite(summary[loop]["examples_per_second"]) and 0 <= summary[loop]["accuracy"] <= 1
    assert positive_finite(summary["companion_over_trainer"])
    assert list(script.table(result).columns) == ["examples/s", "accuracy"]
    with pytest.raises(ValueError, match="precision"):
        script.run(rows=16, eval_rows=16, precision="fp16")


def test_training_flops_are_three_forwards_at_each_real_length():
    script = load("mfu")
    config = BertConfig(hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=128)
    forward = {n: flops.forward_flops(config, n)["total"] for n in (10, 20)}
    assert script.training_flops(config, [10, 10, 20]) == 3 * (2 * forward[10] + forward[20])
    assert script.utilisation(work=6e9, seconds=2.0, ceiling=1e10) == pytest.approx(0.3)
    with pytest.raises(ValueError, match="positive"):
        script.utilisation(work=1.0, seconds=0.0, ceiling=1.0)
    assert positive_finite(script.matmul_flops_per_second(size=128, dtype=torch.bfloat16, min_run_time=0.01))


def test_mfu_of_a_built_in_run_counts_real_tokens_below_padded_ones(needs_mirror):
    script = load("mfu")
    result = script.run(size=128, min_run_time=0.01, steps=1)
    summary = result["summary"]
    assert MACHINE_KEYS <= set(result["machine"]) and summary["sequences"] == 32
    assert set(summary["matmul_flops_per_second"]) == {"float32", "bfloat16"}
    assert positive_finite(summary["mfu"]) and positive_finite(summary["seconds"])
    assert summary["mfu"] < summary["utilisation_counting_padding"]  # a batch of SST-2 sentences has padding
    variants = summary["variants"]
    assert list(variants) == list(script.VARIANTS) and variants[list(variants)[-1]]["mfu"] == summary["mfu"]
    # the lengths of the batches each variant trained on: the same sentences, grouped padding no more than in order
    assert (
        len({variant["tokens"] for variant in variants.values()}) == 1
        and summary["tokens"] == variants["in order, unfused AdamW"]["tokens"]
    )
    padded = {name: variant["padded_tokens"] for name, variant in variants.items()}
    assert padded["grouped by length, fused AdamW"] <= padded["in order, unfused AdamW"]
    assert all(len(variant["each_seconds"]) == 2 for variant in variants.values())  # A B C C B A
    given = script.run(size=128, min_run_time=0.01, tokens=1000, sequences=100, seconds=2.0)["summary"]
    config = AutoConfig.from_pretrained(models.model_name())
    assert given["training_flops"] == 100 * 3 * flops.forward_flops(config, 10)["total"]  # at the mean length
    assert given["mfu"] == pytest.approx(given["training_flops"] / 2.0 / given["matmul_flops_per_second"]["float32"])


def write_notebook(path: Path, sources: list[str]) -> Path:
    import nbformat

    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources]), path)
    return path


def test_book_run_measures_a_notebooks_time_memory_and_slowest_cell(tmp_path):
    script = load("book_run")
    notebook = write_notebook(
        tmp_path / "07_probe.ipynb",
        [
            "x = 1",
            "import time, numpy as np\nblock = np.ones(300 * 2**20 // 8)  # 300 MB, touched\ntime.sleep(1.0)",
            "raise ValueError('a broken cell')",
        ],
    )
    row = script.run_notebook(notebook, timeout=60)
    assert row["notebook"] == "07_probe.ipynb" and row["budget_seconds"] == 180 and row["within_budget"]
    assert row["seconds"] >= 1.0
    if sys.platform == "win32":  # getrusage is Unix-only: Windows records no peak
        assert row["peak_rss_mb"] is None
    else:
        assert row["peak_rss_mb"] >= 300  # the kernel's high-water mark holds the block
    assert row["slowest_cells"][0]["cell"] == 1 and row["slowest_cells"][0]["seconds"] >= 1.0
    assert len(row["errors"]) == 1 and "a broken cell" in row["errors"][0]  # a failing cell is reported, not hidden
    assert script.budget_seconds(Path("09_question_answering.ipynb")) == 300


def test_book_run_table_marks_notebooks_over_budget():
    script = load("book_run")
    rows = [
        {
            "notebook": "09_qa.ipynb",
            "seconds": 310.4,
            "budget_seconds": 300,
            "within_budget": False,
            "peak_rss_mb": 2900,
            "slowest_cells": [{"cell": 20, "seconds": 280.0, "first_line": "train"}],
        },
        {
            "notebook": "status.ipynb",
            "seconds": 3.0,
            "budget_seconds": 180,
            "within_budget": True,
            "peak_rss_mb": 700,
            "slowest_cells": [],
        },
    ]
    result = {
        "measured_at": "2026-11-27T14:00:00+00:00",
        "machine": {"cpu": "a CPU"},
        "settings": {"precision": "no", "threads": 2, "command": "python benchmarks/book_run.py"},
        "notebooks": rows,
        "summary": {"book_seconds": 313.4, "max_peak_rss_mb": 2900},
    }
    table = script.markdown_table(result)
    assert "| 09_qa | 310 **over** | 300 | 2900 | 280.0 |" in table
    assert "| status | 3 | 180 | 700 |  |" in table and "**313**" in table and "float32" in table


@pytest.mark.parametrize("precision", ["fp32", "bf16", "fp32_amd"])
def test_the_committed_book_tables_are_those_of_the_committed_results(precision):
    script = load("book_run")
    path = BENCHMARKS / "results" / f"book_run_{precision}.json"
    if not path.exists():
        pytest.skip(f"no {path.name} yet: run benchmarks/book_run.py")
    result = json.loads(path.read_text(encoding="utf-8"))
    assert path.with_suffix(".md").read_text(encoding="utf-8") == script.markdown_table(result)
    assert {row["notebook"] for row in result["notebooks"]} == {p.name for p in script.book_notebooks()}, (
        "a notebook was added or renamed since the last full run: rerun benchmarks/book_run.py"
    )


def test_qa_choices_times_the_step_and_trains_the_chapters_recipe(needs_mirror):
    script = load("qa_choices")
    timing = script.step_timing(batch_size=2, length=16, min_run_time=0.01)
    every, frozen = timing["every parameter"], timing["word embeddings frozen"]
    assert frozen["trained_parameters"] < every["trained_parameters"]  # the 30,522 x 384 table is out
    assert all(
        positive_finite(row[key]) for row in timing.values() for key in ("forward_backward_ms", "optimizer_step_ms")
    )
    name = list(script.RECIPES)[-1]
    run = script.run_recipe(name, seed=0, threads=1, sizes=script.QUICK)
    assert run["answer_only"] and run["freeze_words"] and run["lr"] == 2e-4
    assert run["steps"] == math.ceil(run["windows"] / script.QUICK["batch_size"])
    assert 0 <= run["exact_match"] <= run["f1"] <= 100
    assert (
        len(run["dev_f1"]) == len(run["dev_exact_match"]) == script.QUICK["dev_rows"]
    )  # per question, for a paired test
    assert 100 * sum(run["dev_f1"]) / len(run["dev_f1"]) == pytest.approx(run["f1"], abs=0.01)
    train, dev = script.chapter_splits(script.QUICK)
    assert run["dev_ids_sha256"] == qa.ids_fingerprint(dev["id"]) and not set(train["title"]) & set(dev["title"])
    other = script.run_recipe(
        name, seed=0, threads=1, sizes=script.QUICK, lr=3e-4
    )  # the chapter's recipe, another rate
    assert other["lr"] == 3e-4 and other["recipe"] == f"{name}, lr 0.0003" and other["steps"] == run["steps"]
    frozen = script.run_recipe(name, seed=0, threads=1, sizes=script.QUICK, frozen_layers=2)
    assert frozen["recipe"] == f"{name}, embeddings + bottom 2 layers frozen" and frozen["steps"] == run["steps"]
    assert frozen["trained_parameters"] < run["trained_parameters"]
    fewer = script.run_recipe(name, seed=0, threads=1, sizes=script.QUICK, train_rows=12)
    assert fewer["recipe"] == f"{name}, 12 training questions" and fewer["train_questions"] == 12
    assert fewer["validation_questions"] == script.QUICK["dev_rows"] and 0 <= fewer["validation_f1"] <= 100
    assert "validation_f1" not in run  # the choices are never scored on validation
    twice = script.run_recipe(name, seed=0, threads=1, sizes=script.QUICK, train_rows=12, epochs=2)
    assert twice["steps"] == 2 * fewer["steps"] and twice["recipe"] == f"{name}, 12 training questions, 2 epochs"
    with pytest.raises(ValueError, match="train_rows"):
        script.run_recipe(name, seed=0, threads=1, sizes=script.QUICK, epochs=2)
    for wrong in (
        ["--quick", "--rates", "3e-4"],
        ["--quick", "--rates", "3", "--out", "elsewhere.json"],
        ["--quick", "--frozen-layers", "2"],
        ["--quick", "--frozen-layers", "6", "--out", "elsewhere.json"],
        ["--quick", "--frozen-layers", "2", "--rates", "3e-4", "--out", "elsewhere.json"],
        ["--quick", "--train-rows", "12"],
        ["--quick", "--train-rows", "0", "--out", "elsewhere.json"],
        ["--quick", "--epochs", "2", "--rates", "3e-4", "--out", "elsewhere.json"],
        ["--quick", "--train-rows", "12", "--epochs", "0", "--out", "elsewhere.json"],
    ):
        with pytest.raises(
            SystemExit
        ):  # over the chapter's record; not a rate, a layer count or a row count; two variants
            script.main(wrong)


def test_pretraining_choices_scores_a_run_against_the_frequency_baseline(needs_mirror):
    script = load("pretraining_choices")
    run = script.run_cell(steps=3, lr=4e-4, seed=0, threads=1, rows=200)
    assert run["steps"] == 3 and run["lr"] == 4e-4
    assert 0 < run["baseline_top1"] < 1 and 0 <= run["top1"] <= 1
    assert run["top1_over_baseline"] == pytest.approx(run["top1"] / run["baseline_top1"])
    assert math.isfinite(run["nsp_loss_last_100"]) and run["ln2"] == pytest.approx(math.log(2))


def test_ag_news_choices_trains_on_the_split_it_does_not_score(tmp_path, needs_mirror):
    from companion import data

    script = load("ag_news_choices")
    out = tmp_path / "ag_news.json"
    first = script.main(["--quick", "--threads", "1", "--freeze", "--out", str(out)])
    assert json.loads(out.read_text(encoding="utf-8")) == first
    (run,) = first["runs"]
    # 64 stories in batches of 32; every other training story held out
    assert (run["lr"], run["freeze"], run["steps"], run["training_stories"]) == (1e-4, True, 2, 64)
    assert run["held_out_stories"] == len(data.load_split("ag_news", "train")) - 64
    assert run["held_out_accuracy"] == pytest.approx(run["held_out_correct"] / run["held_out_stories"], abs=1e-4)
    assert positive_finite(run["train_seconds"])
    added = script.main(["--quick", "--threads", "1", "--lrs", "2e-4", "--freeze", "--add", "--out", str(out)])
    assert [(run["lr"], run["seed"]) for run in added["runs"]] == [(1e-4, 0), (2e-4, 0)]
    assert len(added["settings"]["commands"]) == 2
    for wrong in (
        ["--lrs", "2"],  # not a rate
        ["--quick", "--freeze", "--add", "--out", str(out)],  # a setting already recorded
        ["--quick", "--seeds", "1", "1", "--out", str(tmp_path / "other.json")],  # a repeat in one command
        ["--quick"],  # over the chapter's record
        ["--quick", "--lrs", "3e-4", "--out", str(out)],  # over a record, without --add
        ["--quick", "--lrs", "3e-4", "--epochs", "2", "--add", "--out", str(out)],  # one number of passes a file
        ["--quick", "--epochs", "0", "--out", str(tmp_path / "none.json")],  # not a number of passes
        ["--epochs", "2"],  # a budget point over the chapter's record
    ):
        with pytest.raises(SystemExit):
            script.main(wrong)
    passes = script.main(["--quick", "--threads", "1", "--epochs", "2", "--out", str(tmp_path / "two.json")])
    assert passes["settings"]["recipe"]["epochs"] == 2 and passes["runs"][0]["steps"] == 4  # 2 batches, twice


def test_mrpc_choices_scores_each_recipe_on_the_chapters_development_pairs(needs_mirror, tmp_path):
    script = load("mrpc_choices")
    result = script.main(["--quick", "--threads", "1", "--seeds", "0", "1", "--out", str(tmp_path / "mrpc.json")])
    assert json.loads((tmp_path / "mrpc.json").read_text(encoding="utf-8")) == result
    labels = result["development_split"]["labels"]
    # the quick recipes are outside the grid: the first seed only
    assert [(run["head"], run["seed"]) for run in result["runs"]] == [("cls", 0), ("mean", 0)]
    for run in [*result["runs"], result["bi_encoder"]]:
        right = [p == y for p, y in zip(run["dev_predictions"], labels, strict=True)]  # per pair, for a paired test
        assert run["dev_accuracy"] == pytest.approx(sum(right) / len(labels), abs=1e-4)
    assert len(script.GRID) == 3 and all(script.RECIPES[name]["epochs"] == 2 for name in script.GRID)
    train, dev = script.chapter_splits()
    assert (len(train), len(dev)) == (3259 - script.DEV_ROWS, script.DEV_ROWS)
    assert not set(train["idx"]) & set(dev["idx"])


def test_mrpc_bi_encoder_scores_each_epoch_of_each_objective_on_the_chapters_development_pairs(needs_mirror, tmp_path):
    script = load("mrpc_bi_encoder")
    result = script.main(["--quick", "--threads", "1", "--out", str(tmp_path / "bi.json")])
    assert json.loads((tmp_path / "bi.json").read_text(encoding="utf-8")) == result
    labels = result["development_split"]["labels"]
    assert [run["objective"] for run in result["runs"]] == ["softmax", "cosine"]
    for run in result["runs"]:
        assert [row["epoch"] for row in run["epochs_scored"]] == [1.0, 2.0]
        for row in run["epochs_scored"]:
            right = [p == y for p, y in zip(row["dev_predictions"], labels, strict=True)]
            assert row["dev_accuracy"] == pytest.approx(sum(right) / len(labels), abs=1e-4)
    assert [row["baseline"] for row in result["baselines"]] == [
        "untuned bi-encoder: cosine alone + logistic regression",
        "untuned bi-encoder: cosine + word overlap + logistic regression",
    ]
    for row in result["baselines"]:
        right = [p == y for p, y in zip(row["dev_predictions"], labels, strict=True)]
        assert row["dev_accuracy"] == pytest.approx(sum(right) / len(labels), abs=1e-4)
    with pytest.raises(ValueError, match="objective must be"):
        script.SiameseClassifier(None, objective="triplet")


def test_mrpc_bi_encoder_computes_the_chapters_overlap_features():
    import ast

    notebook = json.loads((BENCHMARKS.parent / "book" / "12_sentence_pairs.ipynb").read_text(encoding="utf-8"))
    wanted = {"words", "overlap_features"}

    def functions(source: str) -> dict[str, str]:
        tree = ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))
        return {
            node.name: ast.unparse(node)
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name in wanted
        }

    chapter = {}
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            chapter |= functions("".join(cell["source"]))
    in_script = functions((BENCHMARKS / "mrpc_bi_encoder.py").read_text(encoding="utf-8"))
    assert set(chapter) == wanted and in_script == chapter


def test_mrpc_choices_trains_the_chapters_head():
    import ast

    notebook = json.loads((BENCHMARKS.parent / "book" / "12_sentence_pairs.ipynb").read_text(encoding="utf-8"))

    def classes(source: str) -> list[str]:
        """Each class defined at the top level of a source, as its AST (the chapter and the script are formatted to
        different widths, and comments differ)."""
        tree = ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))
        return [ast.unparse(node) for node in tree.body if isinstance(node, ast.ClassDef)]

    chapter = [
        found for cell in notebook["cells"] if cell["cell_type"] == "code" for found in classes("".join(cell["source"]))
    ]
    in_script = classes((BENCHMARKS / "mrpc_choices.py").read_text(encoding="utf-8"))
    [head] = [found for found in in_script if found.startswith("class MeanPooledClassifier")]
    assert head in chapter


def test_int8_apis_measures_each_version_on_the_same_sentences(needs_mirror, tmp_path):
    pytest.importorskip("torchao", reason="benchmarks/int8_apis.py alone needs torchao (pip install torchao==0.18.0)")
    script = load("int8_apis")
    result = script.main(["--quick", "--threads", "1", "--out", str(tmp_path / "int8.json")])
    assert json.loads((tmp_path / "int8.json").read_text(encoding="utf-8")) == result
    rows = {row["version"]: row for row in result["rows"]}
    assert list(rows) == ["PyTorch float32", "torch.ao dynamic int8", "torchao int8"]
    assert rows["PyTorch float32"]["agrees_with_float32"] == 1.0
    for row in rows.values():
        assert all(positive_finite(row[key]) for key in ("size_mb", "ms_1_sentence", "ms_batch_of_32"))
        assert 0 <= row["dev_accuracy"] <= 1
    # both int8 versions store the linear weights in one byte and keep the embedding table in float32
    for name in ("torch.ao dynamic int8", "torchao int8"):
        assert 0.55 < rows[name]["size_mb"] / rows["PyTorch float32"]["size_mb"] < 0.75


def test_the_recorded_int8_comparison_is_a_full_run():
    from importlib.resources import files

    result = json.loads((files("companion") / "measurements" / "int8_apis.json").read_text(encoding="utf-8"))
    assert not result["settings"]["quick"] and result["dev_sentences"] == 500  # the chapter's development split
    assert result["settings"]["compile"]  # the chapter reads the compiled row too
    assert [row["version"] for row in result["rows"]] == [
        "PyTorch float32",
        "torch.ao dynamic int8",
        "torchao int8",
        "torchao int8, compiled",
    ]


def test_distillation_choices_scores_every_student_on_the_same_items(needs_mirror, tmp_path):
    script = load("distillation_choices")
    result = script.main(["--quick", "--threads", "1", "--out", str(tmp_path / "distil.json")])
    assert json.loads((tmp_path / "distil.json").read_text(encoding="utf-8")) == result
    runs = {run["model"]: run for run in result["runs"]}
    assert list(runs) == [
        "student, labels, 1 epoch(s)",
        "student, labels, 4 epoch(s)",
        "teacher",
        "student, distilled",
        "student, distilled with the transfer set",
    ]
    sizes, splits = script.QUICK, result["splits"]
    assert (splits["train_rows"], splits["dev_rows"], splits["transfer_rows"]) == (
        sizes["train_rows"],
        sizes["dev_rows"],
        sizes["transfer_rows"],
    )
    one_epoch = runs["student, labels, 1 epoch(s)"]["steps"]
    assert (
        runs["student, distilled"]["steps"] == one_epoch
        and runs["student, labels, 4 epoch(s)"]["steps"] == 4 * one_epoch
    )
    transfer_steps = runs["student, distilled with the transfer set"]["steps"]
    assert transfer_steps == math.ceil((sizes["train_rows"] + sizes["transfer_rows"]) / 32)
    assert (
        len(splits["dev_labels"]) == splits["dev_rows"]
        and len(splits["validation_labels"]) == splits["validation_rows"]
    )
    for run in runs.values():
        assert len(run["dev_predictions"]) == splits["dev_rows"] and set(run["dev_predictions"]) <= {"0", "1"}
        assert len(run["validation_predictions"]) == splits["validation_rows"]
        assert 0 <= run["dev_accuracy"] <= 1 and positive_finite(run["train_seconds"])


def test_the_recorded_distillation_choices_are_the_chapters_splits():
    from importlib.resources import files

    result = json.loads((files("companion") / "measurements" / "distillation_choices.json").read_text(encoding="utf-8"))
    assert not result["settings"]["quick"] and result["settings"]["seeds"] == [0, 1, 2]
    splits = result["splits"]
    assert (splits["train_rows"], splits["dev_rows"], splits["transfer_rows"], splits["validation_rows"]) == (
        2000,
        500,
        6000,
        872,
    )


def test_the_recorded_distillation_choices_scored_the_chapters_development_items(needs_mirror):
    script = load("distillation_choices")
    result = json.loads(script.DEFAULT_OUT.read_text(encoding="utf-8"))
    _, dev, validation, _ = script.splits(script.FAST)
    assert result["splits"]["dev_sentences_sha256"] == script.fingerprint(dev["sentence"])
    assert result["splits"]["dev_labels"] == "".join(map(str, dev["label"]))
    assert result["splits"]["validation_sentences_sha256"] == script.fingerprint(validation["sentence"])


def test_a_re_measured_row_keeps_its_date_in_the_table():
    script = load("book_run")
    row = {
        "notebook": "01_background.ipynb",
        "seconds": 10.0,
        "peak_rss_mb": 900,
        "budget_seconds": 180,
        "within_budget": True,
        "errors": [],
        "slowest_cells": [],
    }
    rerun = {**row, "notebook": "settings.ipynb", "seconds": 7.0, "measured_at": "2026-12-03T17:00:00+00:00"}
    result = {
        "measured_at": "2026-11-27T10:00:00+00:00",
        "machine": {"cpu": "a CPU"},
        "settings": {"precision": "no", "threads": 2, "command": "python benchmarks/book_run.py"},
        "notebooks": [row, rerun],
        "summary": script.summarise([row, rerun]),
        "updates": [
            {
                "measured_at": rerun["measured_at"],
                "command": "python benchmarks/book_run.py --update",
                "notebooks": ["settings.ipynb"],
            }
        ],
    }
    table = script.markdown_table(result)
    assert "| 01_background | 10 |" in table and "| settings (run 2026-12-03) | 7 |" in table
    assert "Re-measured 2026-12-03 with `python benchmarks/book_run.py --update`: settings.ipynb." in table
    assert result["summary"]["book_seconds"] == 17.0


def test_compile_step_charges_compilation_to_the_first_compiled_run(monkeypatch):
    # torch.compile takes minutes on a 2-core CPU: the runs are stood in for, the arithmetic is the script's
    script = load("compile_step")
    seconds = iter([1.0, 130.0, 20.0, 10.0, 22.0])  # warm-up, compiled (with compilation), eager, compiled, eager
    calls = []

    def timed_run(*, steps, precision, compiled):
        calls.append(compiled)
        return {"compiled": compiled, "seconds": next(seconds), "steps": steps}

    monkeypatch.setattr(script, "timed_run", timed_run)
    result = script.measure(steps=40, precision="no")
    assert calls == [False, True, False, True, False]
    assert result["eager_step_seconds"] == pytest.approx(21.0 / 40)
    assert result["compiled_step_seconds"] == pytest.approx(10.0 / 40)
    assert result["speedup"] == pytest.approx(2.1)
    assert result["compile_overhead_seconds"] == pytest.approx(120.0)
    assert result["break_even_steps"] == pytest.approx(120.0 / (11.0 / 40))
    seconds = iter([1.0, 130.0, 20.0, 25.0, 22.0])  # compiled slower than eager: never repaid
    assert script.measure(steps=40, precision="no")["break_even_steps"] is None


def test_translation_batches_cut_the_same_pairs_three_ways_and_grouping_pads_less(needs_mirror):
    script = load("translation_batches")
    pairs, tokenizer_en, _ = script.chapter_pairs(seed=0, rows=2_000)
    collator = script.DataCollatorForSeq2Seq(tokenizer_en, label_pad_token_id=-100)
    shares = {}
    for name in script.LOADERS + (script.SHUFFLED,):
        batches = list(script.loader(name, pairs, collator, seed=0))
        seen = sorted(tuple(ids[ids != -100].tolist()) for batch in batches for ids in batch["labels"])
        assert seen == sorted(tuple(ids) for ids in pairs["labels"]), name  # every pair once
        assert all(len(batch["labels"]) <= script.BATCH for batch in batches)
        shares[name] = script.real_shares(batches)
    assert shares["grouped by labels"]["labels"] > shares["random"]["labels"] + 0.2
    assert shares["grouped by pair"]["source"] > shares["random"]["source"]
    # the same batches, another order
    assert shares[script.SHUFFLED]["labels"] == pytest.approx(shares["grouped by labels"]["labels"])
    with pytest.raises(ValueError, match="unknown loader"):
        script.loader("grouped by length", pairs, collator, seed=0)
    with pytest.raises(SystemExit):  # the command line refuses it before training anything
        script.main(["--bleu", "grouped by length"])


def test_translation_batches_scores_each_budget_on_each_loader(monkeypatch, tmp_path):
    # a whole run takes minutes: bleu_run is stood in for; the command line's order of runs is the script's
    script = load("translation_batches")
    calls = []

    def bleu_run(name, *, seed, token_weighted, steps):
        calls.append((name, token_weighted, seed, steps))
        return {"loader": name, "steps": steps, "test_bleu": 0.0}

    monkeypatch.setattr(script, "bleu_run", bleu_run)
    out = tmp_path / "curve.json"
    result = script.main(
        ["--seed", "1", "--steps", "900", "1200", "--bleu", script.SHUFFLED, "random", "--out", str(out)]
    )
    assert calls == [(name, False, 1, steps) for steps in (900, 1200) for name in (script.SHUFFLED, "random")]
    assert json.loads(out.read_text(encoding="utf-8")) == result
    calls.clear()
    script.main(["--bleu", "random +tokens", "--out", str(out)])
    assert calls == [("random", True, 0, script.STEPS)]  # the chapter's 600 steps unless told
    for wrong in (["--steps", "100", "200"], ["--steps", "0", "--bleu", "random"]):
        with pytest.raises(SystemExit):  # several budgets are for --bleu runs; a budget is positive
            script.main([*wrong, "--out", str(out)])


def test_translation_batches_times_the_loaders_in_turns(monkeypatch):
    # training takes minutes: the runs are stood in for, the order and arithmetic are the script's
    script = load("translation_batches")
    monkeypatch.setattr(script, "chapter_pairs", lambda *, seed, rows: ("pairs", "en", "de"))
    monkeypatch.setattr(script, "loader", lambda name, pairs, collator, *, seed: name)
    monkeypatch.setattr(script, "DataCollatorForSeq2Seq", lambda tokenizer, label_pad_token_id: None)
    monkeypatch.setattr(script, "real_shares", lambda batches: {"source": 0.5, "labels": 0.5})
    seconds = iter([1.0, 40.0, 20.0, 30.0, 44.0, 24.0, 30.0])  # warm-up, then random, labels, pair twice
    calls = []

    def timed_run(name, pairs, tokenizer_en, tokenizer_de, *, steps, seed):
        calls.append((name, steps))
        return {"loader": name, "steps": steps, "seconds": next(seconds)}

    monkeypatch.setattr(script, "timed_run", timed_run)
    result = script.measure(steps=100)
    assert calls == [("random", 3)] + [(name, 100) for name in script.LOADERS] * 2
    assert result["step_seconds"]["random"] == pytest.approx(0.42)
    assert result["speedup_over_random"]["grouped by labels"] == pytest.approx(42 / 22)
    assert result["speedup_over_random"]["grouped by pair"] == pytest.approx(42 / 30)


def test_sentiment_budget_trains_the_chapter_recipe_on_nested_samples(tmp_path, needs_mirror):
    from companion import data

    script = load("sentiment_budget")
    result = script.main(["--quick", "--threads", "1", "--out", str(tmp_path / "budget.json")])
    assert json.loads((tmp_path / "budget.json").read_text(encoding="utf-8")) == result
    assert [(run["rows"], run["steps"]) for run in result["runs"]] == [(64, 2), (128, 4)]  # batches of 32
    assert all(0 <= run["validation_accuracy"] <= 1 and run["validation_sentences"] == 32 for run in result["runs"])
    # each budget's sample holds the smaller ones, as the docstring says
    smaller, larger = (set(data.load_split("sst2", "train", fast_rows=rows)["idx"]) for rows in (64, 128))
    assert smaller < larger
    assert "dev_accuracy" not in result["runs"][0]  # no rate is chosen: no development split
    # a choice of rate: each run also scored on one development split, outside the largest sample
    rates = script.main(["--quick", "--threads", "1", "--lrs", "3e-4", "--out", str(tmp_path / "rates.json")])
    assert [(run["rows"], run["lr"]) for run in rates["runs"]] == [(64, 3e-4), (128, 3e-4)]
    assert all(run["dev_phrases"] == 32 and 0 <= run["dev_accuracy"] <= 1 for run in rates["runs"])
    dev = script.development_split(outside_rows=128, dev_rows=32)
    assert not set(dev["idx"]) & larger
    assert not any(
        data.shares_phrase(list(dev["sentence"]), list(data.load_split("sst2", "train", fast_rows=128)["sentence"]))
    )
    assert script.parse_rows("all") is None and script.parse_rows("16000") == 16000
    with pytest.raises(ValueError, match="--lrs"):
        script.common.parse_lr("2")
    for wrong in (["--rows", "64", "all", "--lrs", "1e-4"], ["--rows", "64", "64"]):  # no phrase left out; a repeat
        with pytest.raises(SystemExit):
            script.main(wrong)
    for text in ("0", "-5", "many"):
        with pytest.raises(ValueError, match="--rows"):
            script.parse_rows(text)


def test_ner_choices_trains_the_chapter_recipe_for_each_setting_and_adds_runs(tmp_path, needs_mirror):
    script = load("ner_choices")
    out = tmp_path / "ner.json"
    first = script.main(["--quick", "--threads", "1", "--out", str(out)])
    assert json.loads(out.read_text(encoding="utf-8")) == first
    # 64 sentences in batches of 32: two steps per epoch, each epoch count its own run
    runs = [(run["epochs"], run["lr"], run["steps"], run["training_sentences"]) for run in first["runs"]]
    assert runs == [(1, 1e-4, 2, 64), (2, 1e-4, 4, 64)]
    for run in first["runs"]:
        for split in ("validation", "test"):
            assert set(run[split]) == {"precision", "recall", "f1"} and all(0 <= v <= 1 for v in run[split].values())
    added = script.main(["--quick", "--threads", "1", "--lrs", "2e-4", "--add", "--out", str(out)])
    assert [(run["epochs"], run["lr"]) for run in added["runs"]] == [(1, 1e-4), (2, 1e-4), (1, 2e-4), (2, 2e-4)]
    assert len(added["settings"]["commands"]) == 2
    for wrong in (["--epochs", "0"], ["--lrs", "2"]):
        with pytest.raises(SystemExit):
            script.main(wrong)
