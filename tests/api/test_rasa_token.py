"""The web app calls Rasa's HTTP API (status for /readyz, the tracker for the contact form) with
the token Rasa was started with; without it Rasa answers 401 and the app degrades safely."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.api.conftest import FakeRasa

CONTACT_FORM_OPEN = {
    "active_loop": {"name": "contact_form"},
    "slots": {"requested_slot": "contact"},
}
FORM_REPLY = [{"custom": {"reply": {"kind": "form", "text": "谢谢，已记录。"}}}]


def test_the_app_sends_rasas_token_to_its_api(
    make_client: Callable[..., TestClient], fake_rasa: FakeRasa
) -> None:
    fake_rasa.token = "rasa-token-for-this-run"
    client = make_client(rasa_token="rasa-token-for-this-run")
    ready = client.get("/readyz").json()
    assert ready["components"]["rasa"] == "model loaded"
    fake_rasa.tracker = CONTACT_FORM_OPEN
    fake_rasa.reply = FORM_REPLY
    client.post("/api/chat", json={"session_id": "s1", "message": "电话 139 8765 4321"})
    assert fake_rasa.tracker_requests == ["s1"]
    assert fake_rasa.sent[-1]["message"] == "电话 139 8765 4321"  # the form's answer, as given


def test_a_wrong_token_is_not_ready_and_masks_the_number(
    make_client: Callable[..., TestClient], fake_rasa: FakeRasa
) -> None:
    fake_rasa.token = "rasa-token-for-this-run"
    client = make_client(rasa_token="another-token")
    assert client.get("/readyz").status_code == 503
    fake_rasa.tracker = CONTACT_FORM_OPEN
    fake_rasa.reply = FORM_REPLY
    client.post("/api/chat", json={"session_id": "s1", "message": "电话 139 8765 4321"})
    assert fake_rasa.sent[-1]["message"] == "电话 139 **** 4321"
