"""Pydantic's validation errors as one line per field: the dotted path, what is wrong, and how to fix it."""

from __future__ import annotations

import difflib
from types import UnionType
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError


class ConfigError(ValueError):
    """A config problem, one line per problem: `config: dotted.field: what is wrong; how to fix it`."""


def explain(exc: ValidationError, root: type[BaseModel]) -> str:
    """One line per field. A union field (`problems.mixture`) fails once per member: an error deeper inside one
    member says more than the others' type mismatches, and same-field mismatches are joined with "or"."""
    by_path: dict[str, list[tuple[Any, Any, Any]]] = {}
    for error in exc.errors():
        path, field, parent = _locate(error["loc"], root)
        by_path.setdefault(path, []).append((error, field, parent))
    deeper = [p for p in by_path if any(q.startswith((f"{p}.", f"{p}[")) for q in by_path)]
    return "\n".join(_explain(path, group, root) for path, group in by_path.items() if path not in deeper)


def _explain(path: str, group: list[tuple[Any, Any, Any]], root: type[BaseModel]) -> str:
    error, field, parent = group[0]
    if error["type"] == "extra_forbidden":
        return f"config: {path}: unknown key{_did_you_mean(path, parent, root)}"
    reason = f" ({field.description})" if field is not None and field.description else ""
    if error["type"] == "missing":
        return f"config: {path}: required{reason}; {_required_fix(path, field)}"
    problem = " or ".join(dict.fromkeys(_problem(e) for e, _, _ in group))
    return f"config: {path}: {problem}, got {_show(error['input'])[:80]}{reason}; {_value_fix(path, field, error)}"


BOUNDS = {
    "greater_than": ("gt", ">"),
    "greater_than_equal": ("ge", ">="),
    "less_than": ("lt", "<"),
    "less_than_equal": ("le", "<="),
}


def _problem(error: Any) -> str:
    if error["type"] in BOUNDS:
        key, symbol = BOUNDS[error["type"]]
        return f"must be {symbol} {error['ctx'][key]}"
    return error["msg"].removeprefix("Value error, ").replace("Input should be", "must be")


def _required_fix(path: str, field: Any) -> str:
    model = _model_of(field.annotation) if field is not None else None
    if model is None:
        return f"set {path}=..."
    required = [name for name, f in model.model_fields.items() if f.is_required()]
    return "set " + ", ".join(f"{path}.{name}=..." for name in required)


def _value_fix(path: str, field: Any, error: Any) -> str:
    if field is not None and _model_of(field.annotation) is not None:
        return f"give {path} as a mapping: {_required_fix(path, field) if field.is_required() else 'its fields'}"
    if field is not None and not field.is_required():
        return f"set {path}={_show(field.get_default(call_default_factory=True))}"
    if error["type"] in BOUNDS:
        return f"set {path} to a value {_problem(error).removeprefix('must be ')}"
    return f"set {path} to a valid value"


def _show(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip().removesuffix("...").strip()


def _did_you_mean(path: str, parent: type[BaseModel], root: type[BaseModel]) -> str:
    """Suggest a sibling with a close spelling, else the section where a field of that name lives."""
    head, _, key = path.rpartition(".")
    prefix = f"{head}." if head else ""
    close = difflib.get_close_matches(key, list(parent.model_fields), n=1)
    if close:
        return f"; did you mean {prefix}{close[0]}?"
    elsewhere = [p for p in _all_paths(root) if p.rpartition(".")[2] == key]
    if elsewhere:
        return f"; did you mean {elsewhere[0]}?"
    return f"; remove it (the keys of {head or 'the top level'} are: {', '.join(parent.model_fields)})"


def _all_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    paths = []
    for name, field in model.model_fields.items():
        sub = _model_of(field.annotation)
        paths.extend(_all_paths(sub, f"{prefix}{name}.") if sub else [f"{prefix}{name}"])
    return paths


def _locate(loc: tuple[str | int, ...], root: type[BaseModel]) -> tuple[str, Any, type[BaseModel]]:
    """A pydantic `loc` as a dotted path (`problems.sources[0].path`), with its field and the model holding it.

    Union members appear in `loc` as tags (`dict[str,float]`); they are not keys, so they are skipped.
    """
    path, annotation, field, parent = "", root, None, root
    for part in loc:
        if isinstance(part, int):
            path, annotation, field = f"{path}[{part}]", _item_type(annotation), None
            continue
        model = _model_of(annotation)
        if model is not None:
            parent, field = model, model.model_fields.get(part)
            annotation = field.annotation if field is not None else None
        else:
            member = _union_member(annotation, part)
            if member is not None:
                annotation = member
                continue
            annotation, field = _value_type(annotation), None
        path = f"{path}.{part}" if path else part
    return path, field, parent


def _members(annotation: Any) -> list[Any]:
    if get_origin(annotation) in (Union, UnionType):
        return [a for a in get_args(annotation) if a is not type(None)]
    return [annotation]


def _model_of(annotation: Any) -> type[BaseModel] | None:
    members = _members(annotation)
    ok = len(members) == 1 and isinstance(members[0], type) and issubclass(members[0], BaseModel)
    return members[0] if ok else None


def _union_member(annotation: Any, tag: str) -> Any:
    for member in _members(annotation):
        name = member.__name__ if isinstance(member, type) else str(member)
        if len(_members(annotation)) > 1 and name.replace(" ", "") == tag.replace(" ", ""):
            return member
    return None


def _item_type(annotation: Any) -> Any:
    args = get_args(_members(annotation)[0])
    return args[0] if args else None


def _value_type(annotation: Any) -> Any:
    member = _members(annotation)[0]
    return get_args(member)[1] if get_origin(member) is dict else None
