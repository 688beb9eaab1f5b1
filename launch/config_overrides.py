"""`key.sub=value` overrides applied to the raw config before validation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from .config_errors import ConfigError


def apply_overrides(data: dict[str, Any], overrides: Sequence[str]) -> dict[str, Any]:
    """`key.sub=value` overrides on the raw config; values are YAML (`3`, `true`, `[a, b]`, `{x: 1}`, `null`)."""
    for override in overrides:
        key, sep, text = override.partition("=")
        parts = key.strip().split(".")
        if not sep or not all(parts):
            raise ConfigError(f"config: override {override!r} is not key.sub=value; write e.g. rollout.group_size=8")
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            raise ConfigError(
                f"config: override {override!r}: the value is not valid YAML; quote it, e.g. {key}='{text}'"
            ) from None
        _set_path(data, parts, value, override)
    return data


def _set_path(node: Any, parts: list[str], value: Any, override: str) -> None:
    for i, part in enumerate(parts[:-1]):
        child = _child(node, part, override)
        if child is None:
            child = {}
            _assign(node, part, child, override)
        elif not isinstance(child, dict | list):
            where = ".".join(parts[: i + 1])
            raise ConfigError(
                f"config: override {override!r}: {where} is a value ({child!r}), not a section; set {where}=... itself"
            )
        node = child
    _assign(node, parts[-1], value, override)


def _child(node: dict[str, Any] | list[Any], part: str, override: str) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    return node[_index(node, part, override)]


def _assign(node: dict[str, Any] | list[Any], part: str, value: Any, override: str) -> None:
    if isinstance(node, dict):
        node[part] = value
    else:
        node[_index(node, part, override)] = value


def _index(node: list[Any], part: str, override: str) -> int:
    if not part.isdigit() or int(part) >= len(node):
        raise ConfigError(
            f"config: override {override!r}: {part!r} is not an index of a list of {len(node)}; use 0..{len(node) - 1}"
        )
    return int(part)
