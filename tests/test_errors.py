"""The exception family: messages and their redaction of secret values."""

from __future__ import annotations

from kgen.errors import KgenError, quote, redact


def test_redact_replaces_every_form_of_a_secret_value() -> None:
    secret = 'pa"ss'
    text = "name " + quote(secret) + " and " + secret + ", not pass"
    assert redact(text, [secret]) == "name \"<a Secret's value>\" and <a Secret's value>, not pass"


def test_redact_takes_the_longest_value_first() -> None:
    assert redact("abc-abcdef", ["abc", "abcdef"]) == "<a Secret's value>-<a Secret's value>"


def test_an_error_redacts_its_place_and_message() -> None:
    error = KgenError("f.yaml: ConfigMap s3cr3t", "name s3cr3t is invalid")
    error.redact(["s3cr3t"])
    assert str(error) == "f.yaml: ConfigMap <a Secret's value>: name <a Secret's value> is invalid"
    assert error.args == (error.where, error.message)
    error.redact([])
    assert error.message == "name <a Secret's value> is invalid"
