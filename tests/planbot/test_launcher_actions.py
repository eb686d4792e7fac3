"""Which processes `make run` starts: Rasa and the web app serving the actions (default), or
with PLANBOT_ACTIONS_IN_APP=false a separate action server too; Rasa's webhook and the secret
always agree with whoever serves the actions. Nothing is started here."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from planbot.launcher import ACTION_SECRET, Assistant, assistant, in_app_webhook

SECRET = "a" * 40


def _assistant(tmp_path: Path, **settings: str) -> Assistant:
    return assistant(
        api_port=18000,
        rasa_port=18005,
        actions_port=18055,
        logs=tmp_path,
        workdir=tmp_path,
        settings={ACTION_SECRET: SECRET, **settings},
    )


def test_by_default_the_web_app_serves_the_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLANBOT_ACTIONS_IN_APP", raising=False)
    service = _assistant(tmp_path)
    rasa, api = service.processes
    assert (rasa.name, api.name) == ("rasa", "api")
    assert rasa.env["PLANBOT_ACTION_WEBHOOK"] == in_app_webhook(18000) == service.actions_webhook
    assert rasa.env[ACTION_SECRET] == api.env[ACTION_SECRET] == SECRET


def test_a_separate_action_server_on_request(tmp_path: Path) -> None:
    service = _assistant(tmp_path, PLANBOT_ACTIONS_IN_APP="false")
    actions, rasa, api = service.processes
    assert [p.name for p in service.processes] == ["actions", "rasa", "api"]
    assert rasa.env["PLANBOT_ACTION_WEBHOOK"] == "http://127.0.0.1:18055/webhook"
    assert actions.env[ACTION_SECRET] == rasa.env[ACTION_SECRET] == SECRET
    assert service.actions_webhook == ""
    assert api.env["PLANBOT_ACTIONS_IN_APP"] == "false"  # its /readyz asks the action server


def test_a_wrong_value_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        _assistant(tmp_path, PLANBOT_ACTIONS_IN_APP="maybe")
