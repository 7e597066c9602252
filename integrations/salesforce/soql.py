"""Writing values into SOQL: quoted and escaped as Salesforce reads them."""


def literal(value: str) -> str:
    """A SOQL string literal: backslashes and quotes escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
