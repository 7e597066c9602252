"""The SOQL subset the sandbox answers:

    SELECT f1, f2 FROM Obj
        [WHERE cond [AND cond ...]]
        [ORDER BY f [ASC|DESC]]
        [LIMIT n]

where cond is `f = literal`, `f != literal` (or `<>`), `f IN (literal, ...)` or
`f NOT IN (...)`, and a literal is a 'quoted string' (backslash escapes), a number,
true, false or null.  Anything else (OR, LIKE, functions, relationship paths, ...)
is a MALFORMED_QUERY; field and object names are checked by the org, not here.
Text compares case-insensitively, as it does in Salesforce.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .responses import ApiError
from .values import comparable

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\]|\\.)*')
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<symbol>!=|<>|=|\(|\)|,)
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""",
    re.VERBOSE,
)
_ESCAPE = re.compile(r"\\(.)")
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
_LITERAL_WORDS = {"true": True, "false": False, "null": None}


@dataclass(frozen=True)
class Condition:
    field: str
    values: tuple[Any, ...]  # one value for = and !=
    negated: bool  # != and NOT IN

    def matches(self, stored: Any) -> bool:
        found = any(comparable(stored) == comparable(value) for value in self.values)
        return found != self.negated


@dataclass(frozen=True)
class Query:
    fields: tuple[str, ...]
    sobject: str
    conditions: tuple[Condition, ...] = ()
    order_by: str | None = None
    descending: bool = False
    limit: int | None = None


def malformed(message: str) -> ApiError:
    return ApiError(400, "MALFORMED_QUERY", message)


@dataclass(frozen=True)
class _Token:
    kind: str  # string, number, symbol, word, end
    text: str

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def _tokenize(soql: str) -> list[_Token]:
    tokens, position = [], 0
    while soql[position:].strip():
        match = _TOKEN.match(soql, position)
        if match is None:
            raise malformed(f"unexpected token: '{soql[position:].strip()[:20]}'")
        tokens.append(_Token(match.lastgroup, match.group(match.lastgroup)))
        position = match.end()
    return tokens + [_Token("end", "<end of query>")]


class _Parser:
    def __init__(self, soql: str):
        self._tokens = _tokenize(soql)
        self._position = 0

    def _peek(self) -> _Token:
        return self._tokens[self._position]

    def _next(self) -> _Token:
        token = self._tokens[self._position]
        self._position += 1
        return token

    def _accept(self, keyword_or_symbol: str) -> bool:
        token = self._peek()
        if token.keyword == keyword_or_symbol or (token.kind == "symbol" and token.text == keyword_or_symbol):
            self._position += 1
            return True
        return False

    def _expect(self, keyword_or_symbol: str) -> None:
        if not self._accept(keyword_or_symbol):
            raise malformed(f"unexpected token: '{self._peek().text}', expecting '{keyword_or_symbol}'")

    def _name(self) -> str:
        token = self._next()
        if token.kind != "word" or token.keyword in ("SELECT", "FROM", "WHERE", "AND", "OR", "LIMIT", "ORDER", "BY", "IN", "NOT"):
            raise malformed(f"unexpected token: '{token.text}'")
        return token.text

    def query(self) -> Query:
        self._expect("SELECT")
        fields = [self._name()]
        while self._accept(","):
            fields.append(self._name())
        self._expect("FROM")
        sobject = self._name()
        conditions = self._where() if self._accept("WHERE") else []
        order_by, descending = self._order_by() if self._accept("ORDER") else (None, False)
        limit = self._limit() if self._accept("LIMIT") else None
        if self._peek().kind != "end":
            raise malformed(f"unexpected token: '{self._peek().text}'")
        return Query(tuple(fields), sobject, tuple(conditions), order_by, descending, limit)

    def _where(self) -> list[Condition]:
        conditions = [self._condition()]
        while self._accept("AND"):
            conditions.append(self._condition())
        return conditions

    def _condition(self) -> Condition:
        field = self._name()
        if self._accept("="):
            return Condition(field, (self._literal(),), negated=False)
        if self._accept("!=") or self._accept("<>"):
            return Condition(field, (self._literal(),), negated=True)
        negated = self._accept("NOT")
        self._expect("IN")
        return Condition(field, self._literal_list(), negated)

    def _literal_list(self) -> tuple[Any, ...]:
        self._expect("(")
        values = [self._literal()]
        while self._accept(","):
            values.append(self._literal())
        self._expect(")")
        return tuple(values)

    def _literal(self) -> Any:
        token = self._next()
        if token.kind == "string":
            return _ESCAPE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(1)), token.text[1:-1])
        if token.kind == "number":
            return float(token.text)
        if token.text.lower() in _LITERAL_WORDS:
            return _LITERAL_WORDS[token.text.lower()]
        raise malformed(f"unexpected token: '{token.text}', expecting a literal")

    def _order_by(self) -> tuple[str, bool]:
        self._expect("BY")
        field = self._name()
        descending = self._accept("DESC")
        if not descending:
            self._accept("ASC")
        return field, descending

    def _limit(self) -> int:
        token = self._next()
        if token.kind != "number" or not token.text.isdigit():
            raise malformed(f"unexpected token: '{token.text}', expecting a non-negative integer")
        return int(token.text)


def parse(soql: str) -> Query:
    if not soql or not soql.strip():
        raise malformed("Query string is empty")
    return _Parser(soql).query()
