"""A tiny exact univariate polynomial, so generators never call a CAS.

Build answer first: multiply chosen factors, then print the product.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from .mathtext import Rational, as_int_if_whole, poly_latex, poly_plain


class Poly:
    """Coefficients lowest power first, trailing zeros stripped; ints stay ints."""

    __slots__ = ("c",)

    def __init__(self, coeffs: Iterable[Rational]):
        c = [as_int_if_whole(x) for x in coeffs]
        while c and c[-1] == 0:
            c.pop()
        self.c = tuple(c)

    @classmethod
    def linear(cls, a: Rational, b: Rational) -> Poly:
        """a*x + b"""
        return cls((b, a))

    @classmethod
    def from_roots(cls, roots: Iterable[Rational], lead: Rational = 1) -> Poly:
        p = cls((lead,))
        for r in roots:
            p = p * cls((-r, 1))
        return p

    @property
    def degree(self) -> int:
        return len(self.c) - 1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Poly) and self.c == other.c

    def __hash__(self) -> int:
        return hash(self.c)

    def __repr__(self) -> str:
        return f"Poly({self.plain()})"

    def __add__(self, other: Poly) -> Poly:
        n = max(len(self.c), len(other.c))
        a = self.c + (0,) * (n - len(self.c))
        b = other.c + (0,) * (n - len(other.c))
        return Poly(x + y for x, y in zip(a, b))

    def __neg__(self) -> Poly:
        return Poly(-x for x in self.c)

    def __sub__(self, other: Poly) -> Poly:
        return self + (-other)

    def __mul__(self, other: Poly | Rational) -> Poly:
        if not isinstance(other, Poly):
            return Poly(x * other for x in self.c)
        out = [0] * (len(self.c) + len(other.c) - 1) if self.c and other.c else []
        for i, x in enumerate(self.c):
            for j, y in enumerate(other.c):
                out[i + j] += x * y
        return Poly(out)

    __rmul__ = __mul__

    def __pow__(self, k: int) -> Poly:
        p = Poly((1,))
        for _ in range(k):
            p = p * self
        return p

    def __call__(self, x: Rational) -> Rational:
        acc: Rational = 0
        for coef in reversed(self.c):
            acc = acc * x + coef
        return as_int_if_whole(acc)

    def compose(self, inner: Poly) -> Poly:
        """self(inner(x))"""
        acc = Poly(())
        for coef in reversed(self.c):
            acc = acc * inner + Poly((coef,))
        return acc

    def deriv(self) -> Poly:
        return Poly(i * x for i, x in enumerate(self.c) if i > 0)

    def antideriv(self) -> Poly:
        """The antiderivative with zero constant term."""
        return Poly([0] + [Fraction(x, i + 1) for i, x in enumerate(self.c)])

    def plain(self, var: str = "x") -> str:
        return poly_plain(self.c, var)

    def latex(self, var: str = "x") -> str:
        return poly_latex(self.c, var)
