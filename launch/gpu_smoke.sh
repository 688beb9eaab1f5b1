#!/usr/bin/env bash
# GPU smoke test (needs a CUDA GPU and `pip install vllm`): builds the tiny model, runs the transformers and vLLM
# engines greedily on a few prompts and compares their tokens, runs the vLLM engine tests, then the rollout bench
# (full settings). Exits non-zero on any mismatch or failure.
#
#     bash launch/gpu_smoke.sh [WORKDIR]     # WORKDIR defaults to a fresh temporary folder
set -euo pipefail

cd "$(dirname "$0")/.."
WORK="${1:-$(mktemp -d)}"
MODEL="$WORK/tiny-model"

python -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" \
  || { echo "error: gpu_smoke needs a CUDA GPU" >&2; exit 2; }
python -c "import vllm" 2>/dev/null || { echo "error: gpu_smoke needs vLLM (pip install vllm)" >&2; exit 2; }

echo "== init-model -> $MODEL"
rm -rf "$MODEL"
reasonrl init-model --out "$MODEL" --size tiny --seed 0

echo "== greedy: transformers vs vllm"
python - "$MODEL" <<'EOF'
import sys

from reasonrl.rollout.engines import make_engine
from reasonrl.rollout.types import SamplingParams

model = sys.argv[1]
prompts = ["1 + 1 =", "Solve for x: 3x + 7 = 22.", "Find all real roots of x^2 - 5x + 6 = 0.", "Evaluate 17 * 23."]
sampling = SamplingParams(temperature=0.0, max_new_tokens=64)
ours = make_engine("transformers", model, sampling, device="cuda").generate(prompts, 1, sampling)
theirs = make_engine(
    "vllm", model, sampling, dtype="float32", gpu_memory_utilization=0.3, enforce_eager=True
).generate(prompts, 1, sampling)
bad = 0
for i, (a, b) in enumerate(zip(ours, theirs)):
    same = a.prompt_ids == b.prompt_ids and a.completion_ids == b.completion_ids
    diff = max((abs(x - y) for x, y in zip(a.logprobs, b.logprobs)), default=0.0)
    print(f"prompt {i}: {'same' if same else 'MISMATCH'} tokens ({len(a.completion_ids)}), max logprob diff {diff:.2e}")
    if not same:
        print(f"  transformers {a.completion_ids}\n  vllm         {b.completion_ids}")
    bad += not same
sys.exit(1 if bad else 0)
EOF

echo "== engine tests (vLLM included)"
python -m pytest -q tests/rollout/test_engines.py

echo "== rollout bench"
python bench/rollout.py --full
echo "gpu_smoke: ok"
