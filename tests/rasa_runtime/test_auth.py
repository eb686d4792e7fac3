"""Rasa's HTTP API token comes from the settings, and the API is never served without one."""

from __future__ import annotations

import pytest

from rasa_runtime.auth import ApiWithoutToken, with_auth_token

RUN = ["rasa", "run", "--model", "m.tar.gz", "--enable-api"]


def test_the_token_setting_becomes_the_auth_token() -> None:
    argv = with_auth_token(RUN, {"PLANBOT_RASA_TOKEN": "t0ken"})
    assert argv == [*RUN, "--auth-token=t0ken"]


def test_a_token_beginning_with_a_dash_is_one_argument() -> None:
    """secrets.token_urlsafe may begin with "-": given apart, argparse would read it as an
    option and Rasa would exit ("expected one argument")."""
    import argparse

    argv = with_auth_token(RUN, {"PLANBOT_RASA_TOKEN": "-x9Tk"})
    parser = argparse.ArgumentParser()
    parser.add_argument("--auth-token")
    parsed, _ = parser.parse_known_args(argv[2:])
    assert parsed.auth_token == "-x9Tk"


def test_the_api_without_a_token_is_refused() -> None:
    with pytest.raises(ApiWithoutToken, match="PLANBOT_RASA_TOKEN"):
        with_auth_token(RUN, {})
    with pytest.raises(ApiWithoutToken):
        with_auth_token(RUN, {"PLANBOT_RASA_TOKEN": "  "})


@pytest.mark.parametrize(
    "argv",
    [
        ["rasa", "run", "--enable-api", "--auth-token", "given"],
        ["rasa", "run", "--enable-api", "--auth-token=given"],
        ["rasa", "run", "--model", "m.tar.gz"],  # no HTTP API: nothing to protect
        ["rasa", "train", "--enable-api"],  # not a server
    ],
)
def test_other_command_lines_are_left_alone(argv: list[str]) -> None:
    assert with_auth_token(argv, {}) == argv
