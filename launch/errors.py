"""One-line errors for bad user input: message to stderr, exit code 2, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

import typer

T = TypeVar("T")
USAGE_ERROR = 2


def fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(USAGE_ERROR)


@contextmanager
def user_errors():
    """Turn validation errors (ValueError) raised before any work into a one-line exit 2."""
    try:
        yield
    except ValueError as e:
        raise fail(str(e)) from None


def validated(fn: Callable[[], T]) -> T:
    with user_errors():
        return fn()
