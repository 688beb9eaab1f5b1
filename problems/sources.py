"""User data files as problem sources: JSONL, parquet, or a `datasets` folder saved with `save_to_disk`.

Every bad row in a file is collected and reported in one `SourceError` that names the
file, the field, the 1-based line (or row) numbers and the fix, so a user repairs the
whole file in one pass instead of one line per launch. The answer kind stays "auto"
unless the file names one: the verifier detects it (`reasonrl.rewards.gold_check`),
since this package must not import `rewards`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .types import Answer, Problem

FORMATS = ("auto", "jsonl", "parquet", "datasets")
FILE_FAMILY_PREFIX = "file:"
AUTO_KIND = "auto"
FILE_DIFFICULTY = 1  # check_difficulty allows 1..10 only; user rows carry no difficulty of their own
_BATCH_ROWS = 4096
_SHOWN_LINES = 10
_SHOWN_FIELDS = 20

Row = dict[str, Any]


@dataclass(frozen=True)
class FileSource:
    """One user data file and the fields that hold each part of a problem."""

    path: str
    weight: float = 1.0
    prompt_field: str = "prompt"
    answer_field: str = "answer"
    system_field: str | None = None
    kind_field: str | None = None
    format: str = "auto"

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"source format {self.format!r} is unknown; set format to one of {', '.join(FORMATS)}")
        if not (isinstance(self.weight, (int, float)) and math.isfinite(self.weight) and self.weight >= 0):
            raise ValueError(f"source weight {self.weight!r} for {self.path} must be a finite number >= 0")
        for name in ("prompt_field", "answer_field", "system_field", "kind_field"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value):
                raise ValueError(f"source {name} {value!r} for {self.path} must be a non-empty field name")


class SourceError(ValueError):
    """A user data file that cannot become problems; `issues` are the separate findings, each with its fix."""

    def __init__(self, path: str, issues: Sequence[str]):
        self.path, self.issues = path, list(issues)
        super().__init__(f"{path}: " + "; ".join(self.issues))


def format_lines(lines: Sequence[int], shown: int = _SHOWN_LINES) -> str:
    """`line 3`, `lines 2, 5, 9` or `lines 1, 2, ..., 10 and 32 more`."""
    head = ", ".join(str(n) for n in lines[:shown])
    more = f" and {len(lines) - shown} more" if len(lines) > shown else ""
    return f"{'line' if len(lines) == 1 else 'lines'} {head}{more}"


def source_format(src: FileSource, key: str = "source") -> str:
    """The concrete format of `src`; raises SourceError when the path is missing or its format unclear."""
    path = Path(src.path)
    if not path.exists():
        raise SourceError(src.path, [f"no such file or folder; set {key}.path to an existing JSONL or parquet file"])
    if src.format != "auto":
        return src.format
    if path.is_dir():
        return "datasets"
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json"):
        return "jsonl"
    if suffix == ".parquet":
        return "parquet"
    raise SourceError(
        src.path, [f"cannot tell the format from suffix {suffix!r}; set {key}.format to jsonl, parquet or datasets"]
    )


def load_source(src: FileSource, name: str | None = None, *, key: str = "source") -> list[Problem]:
    """All rows of `src` as problems of family `file:<name>` (name defaults to the file stem), uid `<name>:<line>`.

    Problems get difficulty 1 (the lowest level `check_difficulty` accepts) and the answer kind from
    `kind_field` or "auto". `key` is how the user's config names this source (`problems.sources[0]`),
    so each fix in a SourceError points at the setting to change.
    """
    fmt = source_format(src, key)
    name = name or (Path(src.path).name if fmt == "datasets" else Path(src.path).stem)
    builder = _Builder(src, name, key)
    if fmt == "jsonl":
        rows = _jsonl_rows(src.path, builder)
    else:
        reader = _parquet_rows if fmt == "parquet" else _datasets_rows
        columns = _columns(src, fmt)
        builder.check_columns(columns)
        rows = reader(src.path, builder.wanted(columns))
    for line, row in rows:
        builder.add(line, row)
    return builder.finish()


class _Builder:
    """Turns rows into problems while collecting every issue, keyed by (field, what is wrong)."""

    def __init__(self, src: FileSource, name: str, key: str):
        self.src, self.name, self.key = src, name, key
        self.problems: list[Problem] = []
        self.issues: dict[tuple[str, str], list[int]] = {}
        self.fields_seen: dict[str, None] = {}
        self.rows = 0
        self.keys: set[str] = set()

    def fail(self, field: str, what: str, line: int) -> None:
        self.issues.setdefault((field, what), []).append(line)

    def wanted(self, columns: Sequence[str]) -> list[str]:
        fields = [self.src.prompt_field, self.src.answer_field, self.src.system_field, self.src.kind_field]
        return [c for c in columns if c in fields]

    def check_columns(self, columns: Sequence[str]) -> None:
        """Columnar files have one schema: a missing column is one issue for the whole file, found before reading."""
        needed = [("prompt_field", self.src.prompt_field, "prompt"), ("answer_field", self.src.answer_field, "answer")]
        for setting in ("system_field", "kind_field"):
            if (column := getattr(self.src, setting)) is not None:
                needed.append((setting, column, setting.removesuffix("_field")))
        found = ", ".join(columns) or "none"
        issues = [
            f"column {column!r} not found; set {self.key}.{setting} to the column that holds the {role}; "
            f"columns found: {found}"
            for setting, column, role in needed
            if column not in columns
        ]
        if issues:
            raise SourceError(self.src.path, issues)

    def add(self, line: int, row: Row) -> None:
        self.rows += 1
        if not self.keys.issuperset(row):
            self.keys.update(row)
            for k in row:
                if len(self.fields_seen) < _SHOWN_FIELDS:
                    self.fields_seen.setdefault(k, None)
        src = self.src
        prompt = self._text(row, src.prompt_field, line, required=True)
        if isinstance(prompt, str) and not prompt.strip():
            self.fail(src.prompt_field, "empty", line)
            prompt = None
        gold = self._gold(row, line)
        system = self._text(row, src.system_field, line, required=False) if src.system_field else None
        kind = self._text(row, src.kind_field, line, required=False) if src.kind_field else None
        if prompt is None or gold is None or self.issues:
            return
        self.problems.append(
            Problem(
                uid=f"{self.name}:{line}",
                family=f"{FILE_FAMILY_PREFIX}{self.name}",
                difficulty=FILE_DIFFICULTY,
                prompt=prompt,
                answer=Answer(kind=kind.strip() if kind and kind.strip() else AUTO_KIND, value=gold, latex=gold),
                solution=None,
                meta={"source": src.path, "line": line, "system": system or None},
                version=1,
            )
        )

    def _text(self, row: Row, field: str, line: int, *, required: bool) -> str | None:
        value = row.get(field)
        if value is None:
            if required:
                self.fail(field, "missing", line)
            return None
        if not isinstance(value, str):
            self.fail(field, "not a string", line)
            return None
        return value

    def _gold(self, row: Row, line: int) -> str | None:
        field = self.src.answer_field
        value = row.get(field)
        if value is None:
            self.fail(field, "missing", line)
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
            self.fail(field, "not a string or number", line)
            return None
        if isinstance(value, (float, Decimal)) and not math.isfinite(value):
            self.fail(field, "not a finite number", line)
            return None
        gold = value.strip() if isinstance(value, str) else str(value)
        if not gold:
            self.fail(field, "empty", line)
            return None
        return gold

    def finish(self) -> list[Problem]:
        if self.rows == 0 and not self.issues:
            raise SourceError(self.src.path, [f"the file has no rows; point {self.key}.path at a file with data"])
        if self.rows:
            for field in (self.src.system_field, self.src.kind_field):
                if field is not None and field not in self.keys:
                    self.issues[(field, "not found")] = []
        if self.issues:
            raise SourceError(
                self.src.path, [self._describe(f, what, lines) for (f, what), lines in self.issues.items()]
            )
        return self.problems

    def _describe(self, field: str, what: str, lines: list[int]) -> str:
        where = format_lines(lines)
        if field == "":
            return f"{what} on {where}; {_ROW_FIXES[what]}"
        if what == "not found" or (what == "missing" and field not in self.keys):
            setting = _setting_for(self.src, field)
            found = ", ".join(self.fields_seen) or "none"
            return (
                f"field {field!r} not found on any row; set {self.key}.{setting} to the field that "
                f"holds the {setting.removesuffix('_field')}; fields found: {found}"
            )
        fix = _FIELD_FIXES[what].format(field=field)
        return f"field {field!r} {what} on {where}; {fix}"


_ROW_FIXES = {
    "malformed JSON": "write one JSON object per line (JSONL)",
    "not a JSON object": "write one JSON object per line (JSONL), not arrays or bare values",
    "not UTF-8": "save the file as UTF-8",
    "a JSON array": "write one JSON object per line (JSONL), e.g. jq -c '.[]' data.json > data.jsonl",
}
_FIELD_FIXES = {
    "missing": "fill in {field!r} on those rows or remove them",
    "empty": "fill in {field!r} on those rows or remove them",
    "not a string": "write {field!r} as a string",
    "not a string or number": "write {field!r} as a string (or a plain number)",
    "not a finite number": "write {field!r} as the exact answer string",
}


def _setting_for(src: FileSource, field: str) -> str:
    """The FileSource setting that names `field` (the first, if several name the same one)."""
    return next(s for s in ("prompt_field", "answer_field", "system_field", "kind_field") if getattr(src, s) == field)


def _jsonl_rows(path: str, builder: _Builder) -> Iterator[tuple[int, Row]]:
    """Line by line, so a big file never sits in memory as text; malformed lines become issues."""
    with open(path, "rb") as f:
        for line, raw in enumerate(f, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                builder.fail("", "not UTF-8", line)
                continue
            if not text.strip():
                continue
            if not builder.rows and not builder.issues and text.lstrip().startswith("["):
                raise SourceError(path, [f"line {line} opens a JSON array; {_ROW_FIXES['a JSON array']}"])
            try:
                row = json.loads(text)
            except json.JSONDecodeError:
                builder.fail("", "malformed JSON", line)
                continue
            if not isinstance(row, dict):
                builder.fail("", "not a JSON object", line)
                continue
            yield line, row


def _columns(src: FileSource, fmt: str) -> list[str]:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(src.path).names)
    return list(_load_dataset(src.path).column_names)


def _parquet_rows(path: str, columns: list[str]) -> Iterator[tuple[int, Row]]:
    import pyarrow.parquet as pq

    line = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=_BATCH_ROWS, columns=columns):
        for row in batch.to_pylist():
            line += 1
            yield line, row


def _datasets_rows(path: str, columns: list[str]) -> Iterator[tuple[int, Row]]:
    line = 0
    for batch in _load_dataset(path).select_columns(columns).iter(batch_size=_BATCH_ROWS):
        for values in zip(*(batch[c] for c in columns)):
            line += 1
            yield line, dict(zip(columns, values))


def _load_dataset(path: str) -> Any:
    import datasets

    try:
        loaded = datasets.load_from_disk(path)
    except FileNotFoundError as e:
        raise SourceError(path, [f"not a dataset saved with save_to_disk ({e}); point the path at one"]) from None
    if isinstance(loaded, datasets.DatasetDict):
        splits = ", ".join(loaded)
        raise SourceError(path, [f"a DatasetDict with splits {splits}; set the path to one split's folder"])
    return loaded
