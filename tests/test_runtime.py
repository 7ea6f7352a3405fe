import importlib
import logging
import warnings

import datasets
import pytest
import torch

from companion import runtime


def test_profile_defaults_to_fast():
    assert runtime.profile() == "fast"
    assert runtime.is_fast()


def test_profile_reads_environment(monkeypatch):
    monkeypatch.setenv("BERTBOOK_PROFILE", " Full ")
    assert runtime.profile() == "full"
    assert not runtime.is_fast()


def test_unknown_profile_names_the_choices(monkeypatch):
    monkeypatch.setenv("BERTBOOK_PROFILE", "turbo")
    with pytest.raises(ValueError, match="fast, full"):
        runtime.profile()


def test_seed_everything_makes_torch_repeatable():
    runtime.seed_everything(7)
    first = torch.rand(5)
    runtime.seed_everything(7)
    assert torch.equal(first, torch.rand(5))


@pytest.mark.parametrize("seed", [-1, 1.5, "0"])
def test_seed_everything_rejects_bad_seeds(seed):
    with pytest.raises(ValueError, match="non-negative int"):
        runtime.seed_everything(seed)


def test_device_is_cpu_without_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert runtime.device() == torch.device("cpu")


def test_device_prefers_cuda_when_present(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert runtime.device() == torch.device("cuda")


def test_device_ignores_cuda_with_no_devices(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert runtime.device() == torch.device("cpu")


def test_set_threads_explicit_and_from_environment(monkeypatch):
    before = torch.get_num_threads()
    try:
        assert runtime.set_threads(1) == 1
        monkeypatch.setenv("OMP_NUM_THREADS", "2")
        assert runtime.thread_count() == 2 and torch.get_num_threads() == 1  # the count, not set
        assert runtime.set_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_set_threads_rejects_zero():
    with pytest.raises(ValueError, match="at least 1"):
        runtime.set_threads(0)


def test_setup_reports_the_run(library_bar_state):
    before = torch.get_num_threads()
    try:
        report = runtime.setup(seed=3, threads=1)
    finally:
        torch.set_num_threads(before)
    assert report["profile"] == "fast"
    assert report["threads"] == "1"
    assert report["seed"] == "3"
    assert report["torch"] == torch.__version__


def test_mixed_precision_follows_the_hardware_and_the_override(monkeypatch):
    monkeypatch.delenv(runtime.PRECISION_ENV, raising=False)
    monkeypatch.setattr(runtime, "device", lambda: torch.device("cpu"))
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False, raising=False)
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False, raising=False)
    assert runtime.mixed_precision() == "no"
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: True, raising=False)
    assert runtime.mixed_precision() == "bf16"
    monkeypatch.setenv(runtime.PRECISION_ENV, "no")
    assert runtime.mixed_precision() == "no"
    monkeypatch.setenv(runtime.PRECISION_ENV, " FP16 ")
    assert runtime.mixed_precision() == "fp16"
    monkeypatch.setenv(runtime.PRECISION_ENV, "fp8")
    with pytest.raises(ValueError, match="BERTBOOK_PRECISION"):
        runtime.mixed_precision()


def _fake_gpu(monkeypatch, *, capability: tuple[int, int], emulates_bf16: bool, old_torch: bool = False):
    # A CUDA device whose bf16 answers follow torch.cuda.is_bf16_supported's rules for that capability.
    monkeypatch.delenv(runtime.PRECISION_ENV, raising=False)
    monkeypatch.setattr(runtime, "device", lambda: torch.device("cuda"))
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: capability)
    native = capability[0] >= 8

    def is_bf16_supported(including_emulation: bool = True) -> bool:
        return native or (including_emulation and emulates_bf16)

    def old_is_bf16_supported() -> bool:  # torch < 2.3: no including_emulation argument
        return native or emulates_bf16

    monkeypatch.setattr(torch.cuda, "is_bf16_supported", old_is_bf16_supported if old_torch else is_bf16_supported)


@pytest.mark.parametrize("old_torch", [False, True])
def test_mixed_precision_on_a_gpu_that_only_emulates_bf16_is_fp16(monkeypatch, old_torch):
    _fake_gpu(monkeypatch, capability=(7, 5), emulates_bf16=True, old_torch=old_torch)  # a T4, as in Colab
    assert torch.cuda.is_bf16_supported()  # what the old check asked: True, yet only emulated
    assert runtime.mixed_precision() == "fp16"


@pytest.mark.parametrize("old_torch", [False, True])
def test_mixed_precision_on_a_gpu_with_native_bf16_is_bf16(monkeypatch, old_torch):
    _fake_gpu(monkeypatch, capability=(8, 0), emulates_bf16=True, old_torch=old_torch)  # an A100
    assert runtime.mixed_precision() == "bf16"


def test_mixed_precision_on_a_gpu_follows_the_override(monkeypatch):
    _fake_gpu(monkeypatch, capability=(8, 0), emulates_bf16=True)
    monkeypatch.setenv(runtime.PRECISION_ENV, "fp16")
    assert runtime.mixed_precision() == "fp16"
    monkeypatch.setenv(runtime.PRECISION_ENV, "no")
    assert runtime.mixed_precision() == "no"


def test_mixed_precision_on_apple_gpus_is_float32(monkeypatch):
    monkeypatch.delenv(runtime.PRECISION_ENV, raising=False)
    monkeypatch.setattr(runtime, "device", lambda: torch.device("mps"))
    assert runtime.mixed_precision() == "no"


def test_seed_reads_bertbook_seed(monkeypatch):
    monkeypatch.delenv("BERTBOOK_SEED", raising=False)
    assert runtime.seed() == 0
    monkeypatch.setenv("BERTBOOK_SEED", "3")
    assert runtime.seed() == 3


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_seed_rejects_bad_values_with_the_fix(monkeypatch, value):
    monkeypatch.setenv("BERTBOOK_SEED", value)
    with pytest.raises(ValueError, match="non-negative integer"):
        runtime.seed()


@pytest.fixture()
def library_bar_state(monkeypatch):
    # setup() flips module-level switches in three libraries: give each test its own copy, restored after.
    # import_module: the packages export classes named tqdm that hide these modules from `import a.b as c`
    datasets_tqdm = importlib.import_module("datasets.utils.tqdm")
    hub_tqdm = importlib.import_module("huggingface_hub.utils.tqdm")
    transformers_logging = importlib.import_module("transformers.utils.logging")

    monkeypatch.setattr(transformers_logging, "_tqdm_active", True)
    monkeypatch.setattr(hub_tqdm, "progress_bar_states", {})
    monkeypatch.setattr(hub_tqdm, "HF_HUB_DISABLE_PROGRESS_BARS", None)
    monkeypatch.setattr(datasets_tqdm, "_hf_datasets_progress_bars_disabled", False)
    monkeypatch.setattr(datasets_tqdm, "HF_DATASETS_DISABLE_PROGRESS_BARS", None)
    monkeypatch.delenv("TRANSFORMERS_VERBOSITY", raising=False)
    verbosity = transformers_logging.get_verbosity()
    yield transformers_logging, hub_tqdm, datasets_tqdm
    transformers_logging.set_verbosity(verbosity)


def _library_bars_on(transformers_logging, hub_tqdm, datasets_tqdm) -> list[bool]:
    loading = transformers_logging.tqdm(range(3), desc="Loading weights")  # the bar model loading draws
    return [
        not isinstance(loading, transformers_logging.EmptyTqdm),
        not hub_tqdm.are_progress_bars_disabled(),
        datasets_tqdm.is_progress_bar_enabled(),
    ]


def test_setup_quiets_library_bars_but_keeps_the_training_bar(library_bar_state, capsys):
    from torch.utils.data import DataLoader
    from transformers import BertConfig, BertForSequenceClassification

    from companion import training

    assert _library_bars_on(*library_bar_state) == [True, True, True]
    runtime.setup(seed=0, threads=torch.get_num_threads())
    assert _library_bars_on(*library_bar_state) == [False, False, False]
    config = BertConfig(
        vocab_size=16,
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=16,
        max_position_embeddings=8,
    )
    rows = [{"input_ids": torch.arange(4) + i, "labels": torch.tensor(i % 2)} for i in range(8)]
    training.train(BertForSequenceClassification(config), DataLoader(rows, batch_size=4), epochs=1)
    assert "training: 100%" in capsys.readouterr().err  # the reader's bar still draws


def test_setup_keeps_library_bars_when_asked(library_bar_state):
    runtime.setup(seed=0, threads=torch.get_num_threads(), library_bars=True)
    assert _library_bars_on(*library_bar_state) == [True, True, True]


def test_quiet_library_bars_yields_to_the_libraries_environment_switches(library_bar_state, monkeypatch):
    from huggingface_hub import constants as hub_constants

    transformers_logging, hub_tqdm, datasets_tqdm = library_bar_state
    monkeypatch.setattr(hub_constants, "HF_HUB_DISABLE_PROGRESS_BARS", False)  # HF_HUB_DISABLE_PROGRESS_BARS=0
    monkeypatch.setattr(hub_tqdm, "HF_HUB_DISABLE_PROGRESS_BARS", False)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_DISABLE_PROGRESS_BARS", False)
    monkeypatch.setattr(datasets_tqdm, "HF_DATASETS_DISABLE_PROGRESS_BARS", False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the libraries warn when told to disable against their variable
        runtime.quiet_library_bars()
    assert _library_bars_on(*library_bar_state) == [True, True, True]


def test_processor_names_the_cpu():
    name = runtime.processor()
    assert isinstance(name, str) and name.strip()


def test_setup_shows_transformers_errors_but_not_its_warnings(library_bar_state):
    transformers_logging = library_bar_state[0]
    transformers_logging.set_verbosity_warning()
    runtime.setup(seed=0, threads=torch.get_num_threads())
    logger = transformers_logging.get_logger("transformers.modeling_utils")
    assert logger.isEnabledFor(logging.ERROR) and not logger.isEnabledFor(logging.WARNING)


def test_setup_keeps_transformers_logs_when_asked_or_told_by_its_variable(library_bar_state, monkeypatch):
    transformers_logging = library_bar_state[0]
    transformers_logging.set_verbosity_warning()
    runtime.setup(seed=0, threads=torch.get_num_threads(), library_logs=True)
    assert transformers_logging.get_verbosity() == logging.WARNING
    monkeypatch.setenv("TRANSFORMERS_VERBOSITY", "info")
    runtime.setup(seed=0, threads=torch.get_num_threads())
    assert transformers_logging.get_verbosity() == logging.WARNING  # the variable is transformers' to read


def test_setup_uses_the_runs_seed_unless_given_one(monkeypatch):
    monkeypatch.setenv("BERTBOOK_SEED", "3")
    assert runtime.setup()["seed"] == "3"
    assert runtime.setup(seed=0)["seed"] == "0"
    monkeypatch.delenv("BERTBOOK_SEED")
    assert runtime.setup()["seed"] == "0"
