"""problems/ runs in light reward processes: it must not pull heavy libraries."""

import subprocess
import sys

SCRIPT = """
import sys
from reasonrl.problems import all_families, generate
from reasonrl.problems.stream import ProblemStream
for f in all_families():
    generate(f.name, 0, 0, 10)
ProblemStream("default", difficulty=3).take(50)
heavy = sorted(m for m in ("torch", "ray", "deepspeed", "sympy", "numpy", "transformers", "datasets") if m in sys.modules)
print(",".join(heavy))
"""


def test_generating_every_family_imports_no_heavy_library():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
