"""Where the book runs: the profile switch (and its rehearsal), seeding, device, CPU threads, quiet bars and logs."""

from __future__ import annotations

import os
import platform

import torch
import transformers

PROFILE_ENV = "BERTBOOK_PROFILE"
PROFILES = ("fast", "full")
PRECISION_ENV = "BERTBOOK_PRECISION"
SEED_ENV = "BERTBOOK_SEED"
REHEARSAL_ENV = "BERTBOOK_REHEARSAL"
# What a rehearsal shrinks, in one place: data.load_split keeps this many rows of every split (a seeded
# sample), training.train stops after this many optimizer steps, and timings take fewer samples.
REHEARSAL_ROWS = 32
REHEARSAL_STEPS = 2
REHEARSAL_TIMINGS = 3  # benchmark.median_seconds times this many calls, after one warm-up call
# Datasets a rehearsal keeps whole: the novels the chapters train tokenizers and a tiny BERT on, the same in
# both profiles (a few rows could not train an 8,000-piece vocabulary); what of them meets the stand-in is sampled.
REHEARSAL_WHOLE = ("gutenberg_prose",)


def profile() -> str:
    """Return the active profile, 'fast' (default: offline, CPU-sized) or 'full' (bert-base, all rows)."""
    value = os.environ.get(PROFILE_ENV, "fast").strip().lower() or "fast"
    if value not in PROFILES:
        raise ValueError(
            f"{PROFILE_ENV}={value!r} is not a profile; set it to one of {', '.join(PROFILES)} (or unset it for 'fast')"
        )
    return value


def is_fast() -> bool:
    """Return True in the fast profile."""
    return profile() == "fast"


def rehearsal() -> bool:
    """Return True in a rehearsal: the full profile's code on bert-base's architecture with random weights.

    BERTBOOK_REHEARSAL=1 (with BERTBOOK_PROFILE=full) runs every chapter of the full profile offline, on a
    stand-in for its model (models.load_model), REHEARSAL_ROWS rows per split and REHEARSAL_STEPS steps per
    training run, so that CI proves the full profile's code and asserts run. Its scores mean nothing:
    chapters skip their score asserts when this returns True (`if not REHEARSAL:`).
    """
    value = os.environ.get(REHEARSAL_ENV, "").strip().lower()
    if value in ("", "0"):
        return False
    if value != "1":
        raise ValueError(
            f"{REHEARSAL_ENV}={value!r}: set it to 1 to rehearse the full profile offline, "
            "or to 0 (or unset it) for a real run"
        )
    if profile() != "full":
        raise ValueError(
            f"{REHEARSAL_ENV}=1 rehearses the full profile: set {PROFILE_ENV}=full as well "
            f"(or unset {REHEARSAL_ENV} to run the {profile()} profile)"
        )
    return True


def seed() -> int:
    """Return the run's training seed: BERTBOOK_SEED (a non-negative integer) when set, else 0."""
    value = os.environ.get(SEED_ENV, "").strip()
    if not value:
        return 0
    if not value.isdigit():
        raise ValueError(
            f"{SEED_ENV}={value!r} is not a seed; set it to a non-negative integer such as 1 "
            "(or unset it for the book's seed, 0)"
        )
    return int(value)


_run_seed = seed  # setup's argument is also called seed


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and PyTorch (CPU and GPU) through transformers.set_seed."""
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    transformers.set_seed(seed)


def device() -> torch.device:
    """Return the GPU when one is present (CUDA, then Apple MPS), else the CPU."""
    if torch.cuda.is_available() and torch.cuda.device_count() > 0:
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


PRECISIONS = {"no": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}  # name -> dtype computed in


def mixed_precision() -> str:
    """Return the autocast to train with: "bf16" where bfloat16 is native, "fp16" on other GPUs, else "no".

    CUDA: "bf16" only where the GPU computes bfloat16 natively (Ampere and later); GPUs that would only
    emulate it (a T4, say) get "fp16", float16 autocast with a gradient scaler. CPU: "bf16" with AMX or
    AVX512-BF16, else "no" (float32). BERTBOOK_PRECISION=no, bf16 or fp16 overrides the choice.
    """
    chosen = os.environ.get(PRECISION_ENV, "").strip().lower()
    if chosen:
        if chosen not in PRECISIONS:
            raise ValueError(
                f"{PRECISION_ENV}={chosen!r}: use 'no' (float32), 'bf16' or 'fp16' (GPU only), "
                "or unset it to choose by hardware"
            )
        return chosen
    where = device()
    if where.type == "cuda":
        return "bf16" if _cuda_bf16_native() else "fp16"
    if where.type == "cpu":
        checks = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")  # private but present since torch 2.1
        return "bf16" if any(getattr(torch.cpu, check, lambda: False)() for check in checks) else "no"
    return "no"


def _cuda_bf16_native() -> bool:
    # torch < 2.3 has no including_emulation and answers True wherever a bf16 tensor can be made; there,
    # ask for compute capability 8.0 (Ampere) or later, where bf16 matrix products run on the tensor cores.
    try:
        return bool(torch.cuda.is_bf16_supported(including_emulation=False))
    except TypeError:
        major, _ = torch.cuda.get_device_capability()
        return major >= 8


def processor() -> str:
    """Return the processor's name (from /proc/cpuinfo on Linux, else what the platform module reports)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def thread_count(count: int | None = None) -> int:
    """Return the CPU threads to use: count, else OMP_NUM_THREADS, else all cores (for processes started later)."""
    if count is None:
        from_env = os.environ.get("OMP_NUM_THREADS", "")
        count = int(from_env) if from_env.isdigit() and int(from_env) > 0 else (os.cpu_count() or 1)
    if count < 1:
        raise ValueError(f"thread count must be at least 1, got {count}")
    return count


def set_threads(count: int | None = None) -> int:
    """Set PyTorch's intra-op CPU threads (default: OMP_NUM_THREADS, else all cores); return the count used."""
    torch.set_num_threads(thread_count(count))
    return torch.get_num_threads()


def quiet_library_bars() -> None:
    """Turn off the progress bars of model loading, dataset maps and hub downloads; training bars stay on.

    The libraries' own switches win: HF_HUB_DISABLE_PROGRESS_BARS=0 keeps the transformers and hub bars,
    HF_DATASETS_DISABLE_PROGRESS_BARS=0 the datasets bars.
    """
    import datasets  # here, not at the top: chapters without data need not pay for importing it
    from huggingface_hub import constants as hub_constants

    if hub_constants.HF_HUB_DISABLE_PROGRESS_BARS is not False:
        transformers.utils.logging.disable_progress_bar()  # also turns off huggingface_hub's bars
    if datasets.config.HF_DATASETS_DISABLE_PROGRESS_BARS is not False:
        datasets.disable_progress_bars()


def quiet_library_logs() -> None:
    """Show transformers' errors only, not its warnings and notes; TRANSFORMERS_VERBOSITY, when set, wins.

    Its warnings are for library users: a load report per fine-tuned model (naming the checkpoint's folder
    on this machine), deprecation notes about its own internals. Where a chapter teaches what such a report
    says (a new head is randomly initialised), it shows it by code, with `output_loading_info=True`.
    """
    if not os.environ.get("TRANSFORMERS_VERBOSITY", "").strip():
        transformers.utils.logging.set_verbosity_error()


def setup(
    *, seed: int | None = None, threads: int | None = None, library_bars: bool = False, library_logs: bool = False
) -> dict[str, str]:
    """Seed (None: BERTBOOK_SEED, else 0), set threads, quiet library bars and logs; return what this run uses."""
    active = profile()
    seed = _run_seed() if seed is None else seed
    seed_everything(seed)
    used_threads = set_threads(threads)
    if not library_bars:
        quiet_library_bars()
    if not library_logs:
        quiet_library_logs()
    return {
        "profile": active,
        **(
            {
                "rehearsal": f"bert-base's architecture with random weights, at most {REHEARSAL_ROWS} rows per split "
                f"and {REHEARSAL_STEPS} steps per training run: no score here means anything"
            }
            if rehearsal()
            else {}
        ),
        "device": str(device()),
        "threads": str(used_threads),
        "mixed_precision": mixed_precision(),
        "seed": str(seed),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
    }
