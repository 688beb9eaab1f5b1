"""Turn a family's draft into a `Problem`: a pure function of (family, seed, index, difficulty)."""

from __future__ import annotations

from .formats import check_format, final_line, instruction
from .registry import Draft, get_family
from .seeding import is_heldout, item_rng
from .types import Problem

SPLITS = ("train", "heldout")
# A held-out item is found by redrawing until the content hash falls in the held-out
# bucket (1 in 32); a family whose space is too small to ever get there is an error.
MAX_ATTEMPTS = 2000


def generate(
    family: str, seed: int, index: int, difficulty: int, *, answer_format: str = "boxed", split: str = "train"
) -> Problem:
    """Problem number `index` of `family` at `difficulty` for `seed`, in `split`.

    The training split never yields a problem of the held-out split: membership is
    decided by the problem's content, so no seed can make the two overlap.
    """
    fam = get_family(family)
    knobs = fam.knobs(difficulty)
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    check_format(answer_format)
    want_heldout = split == "heldout"
    for attempt in range(MAX_ATTEMPTS):
        draft = fam.generate(item_rng(split, family, seed, index, difficulty, attempt), knobs)
        if is_heldout(family, draft.question) == want_heldout:
            return _assemble(draft, fam.name, fam.version, seed, index, difficulty, knobs, answer_format, split)
    raise RuntimeError(f"family {family!r} at difficulty {difficulty} found no {split} problem in {MAX_ATTEMPTS} draws")


def _assemble(
    draft: Draft,
    family: str,
    version: int,
    seed: int,
    index: int,
    difficulty: int,
    knobs,
    answer_format: str,
    split: str,
) -> Problem:
    return Problem(
        uid=f"{split}/{family}/d{difficulty}/s{seed}/{index}",
        family=family,
        difficulty=difficulty,
        prompt=f"{draft.question}\n\n{instruction(answer_format)}",
        answer=draft.answer,
        solution="\n".join([*draft.steps, final_line(answer_format, draft.answer.latex)]),
        meta={"knobs": dict(knobs), "data": draft.data},
        version=version,
    )
