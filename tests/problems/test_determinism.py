"""The same (family, seed, index, difficulty) gives the same bytes in any process."""

import hashlib
import json
import os
import subprocess
import sys

from reasonrl.problems import all_families, generate

SCRIPT = """
import hashlib, json, sys
from reasonrl.problems import all_families, generate
h = hashlib.sha256()
for f in all_families():
    for d in (1, 5, 10):
        for i in range(20):
            h.update(json.dumps(generate(f.name, 11, i, d).to_dict(), sort_keys=True).encode())
print(h.hexdigest())
"""


def _digest_here() -> str:
    h = hashlib.sha256()
    for f in all_families():
        for d in (1, 5, 10):
            for i in range(20):
                h.update(json.dumps(generate(f.name, 11, i, d).to_dict(), sort_keys=True).encode())
    return h.hexdigest()


def test_same_bytes_in_two_fresh_processes_with_different_hash_seeds():
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    digests.add(_digest_here())
    assert len(digests) == 1


def test_neighbouring_seeds_and_indices_do_not_alias():
    """Random(seed + index) would make item i+1 of seed s equal item i of seed s+1."""
    for f in all_families():
        a = [generate(f.name, 5, i + 1, 4).prompt for i in range(20)]
        b = [generate(f.name, 6, i, 4).prompt for i in range(20)]
        assert sum(x == y for x, y in zip(a, b)) <= 2, f.name


def test_answer_format_changes_only_instruction_and_final_line():
    for f in all_families():
        boxed = generate(f.name, 3, 0, 5)
        tags = generate(f.name, 3, 0, 5, answer_format="answer_tags")
        assert boxed.answer == tags.answer
        assert "\\boxed{" in boxed.solution.splitlines()[-1]
        assert tags.solution.splitlines()[-1] == f"<answer>{tags.answer.latex}</answer>"
        assert "<answer>" in tags.prompt and "\\boxed" not in tags.prompt.splitlines()[-1]
