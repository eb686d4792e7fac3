"""Validate action-server results with a validator compiled once, not once per call.

Rasa 3.6 checks every custom action's result with ``jsonschema.validate(result, schema)``.
That function first validates the *schema itself* against the JSON Schema meta-schema
(``check_schema``), then builds a validator, on every call, although the schema is a constant.
Profiled with py-spy under question turns (each runs one custom action), that was 29 % of
Rasa's CPU time, 21 % for ``check_schema`` alone.

:func:`install` replaces ``RemoteAction._validate_action_result`` with the same validation
done by a validator built once: the same schema, the same ``best_match`` error, and the same
message Rasa appends, so a bad result is refused exactly as before. Later Rasa versions that
change the method are left alone (:func:`install` returns False and Rasa runs unchanged).
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

_PATCHED_FLAG = "_planbot_compiled_validator"


def compiled_validator(schema: dict[str, Any]) -> Any:
    """A validator for ``schema``, checked against its meta-schema once, here."""
    from jsonschema.validators import validator_for

    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def install() -> bool:
    """Patch Rasa's ``RemoteAction`` if it is the 3.6 code this was measured on."""
    import rasa
    from jsonschema.exceptions import best_match
    from rasa.core.actions import action as rasa_action

    remote = rasa_action.RemoteAction
    if getattr(remote, _PATCHED_FLAG, False):
        return True
    if not rasa.__version__.startswith("3.6.") or not hasattr(remote, "_validate_action_result"):
        logger.warning(
            "Rasa %s is not 3.6: action results are validated the upstream way", rasa.__version__
        )
        return False

    validator = compiled_validator(remote.action_response_format_spec())
    docs = rasa_action.DOCS_BASE_URL

    def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is not None:
            error.message += (
                f". Failed to validate Action server response from API, "
                f"make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit "
                f"{docs}/custom-actions"
            )
            raise error
        return True

    remote._validate_action_result = _validate_action_result
    setattr(remote, _PATCHED_FLAG, True)
    return True
