"""Risk-rule conditions of a custom lens: ``default`` or choice ids joined by ``&&``, ``||``, ``!``.

A small recursive-descent parser; the result is evaluated against the set of
selected choice ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_TOKEN = re.compile(r"\s*(?:(&&|\|\||!|\(|\))|([A-Za-z0-9_]+))")


class ConditionError(ValueError):
    """A condition that does not parse."""


@dataclass(frozen=True)
class Choice:
    id: str

    def evaluate(self, selected: frozenset[str]) -> bool:
        return self.id in selected

    def choice_ids(self) -> set[str]:
        return {self.id}


@dataclass(frozen=True)
class Not:
    operand: Expr

    def evaluate(self, selected: frozenset[str]) -> bool:
        return not self.operand.evaluate(selected)

    def choice_ids(self) -> set[str]:
        return self.operand.choice_ids()


@dataclass(frozen=True)
class BoolOp:
    op: str  # "&&" or "||"
    operands: tuple[Expr, ...]

    def evaluate(self, selected: frozenset[str]) -> bool:
        values = (o.evaluate(selected) for o in self.operands)
        return all(values) if self.op == "&&" else any(values)

    def choice_ids(self) -> set[str]:
        return set().union(*(o.choice_ids() for o in self.operands))


@dataclass(frozen=True)
class Default:
    def evaluate(self, selected: frozenset[str]) -> bool:
        return True

    def choice_ids(self) -> set[str]:
        return set()


Expr = Choice | Not | BoolOp | Default


def _tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ConditionError(f"unexpected character {text[pos:].lstrip()[:1]!r} at {pos}")
        tokens.append(match.group(1) or match.group(2))
        pos = match.end()
    return tokens


# Parentheses and '!' recurse in the parser: a rule nests far less than this.
MAX_NESTING = 64


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise ConditionError("unexpected end of condition")
        self.pos += 1
        return token

    def _chain(self, op: str, operand: Callable[[], Expr]) -> Expr:
        """Operands joined by ``op``: the one operand alone, or their BoolOp."""
        operands = [operand()]
        while self.peek() == op:
            self.take()
            operands.append(operand())
        return operands[0] if len(operands) == 1 else BoolOp(op, tuple(operands))

    def parse_or(self) -> Expr:
        return self._chain("||", self.parse_and)

    def parse_and(self) -> Expr:
        return self._chain("&&", self.parse_unary)

    def parse_unary(self) -> Expr:
        token = self.take()
        if token in {"!", "("}:
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise ConditionError(f"nested deeper than {MAX_NESTING} levels")
        if token == "!":
            inner = Not(self.parse_unary())
            self.depth -= 1
            return inner
        if token == "(":
            grouped = self.parse_or()
            if self.take() != ")":
                raise ConditionError("missing ')'")
            self.depth -= 1
            return grouped
        if token in {"&&", "||", ")"}:
            raise ConditionError(f"unexpected {token!r}")
        if token == "default":
            raise ConditionError("'default' must stand alone")
        return Choice(token)


def parse_condition(text: str) -> Expr:
    """Parse a risk-rule condition; raise :class:`ConditionError` when it is malformed."""
    if text.strip() == "default":
        return Default()
    tokens = _tokenize(text)
    if not tokens:
        raise ConditionError("empty condition")
    parser = _Parser(tokens)
    expr = parser.parse_or()
    if parser.peek() is not None:
        raise ConditionError(f"unexpected {parser.peek()!r} after a complete condition")
    return expr
