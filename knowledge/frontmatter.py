"""Reading a source's YAML front matter: one flat mapping of plain fields, nothing else.

Front matter is where a source names its title, issuer and date: a handful of short fields.
YAML can say much more than that, and some of it is dangerous to anyone who then turns the
values into text: anchors and aliases let a few hundred bytes name a list of millions of
items (``a1: &a1 [*a0, *a0, …]`` six levels deep), which ``str()`` then writes out in full —
seconds of CPU and gigabytes of memory for one uploaded file. Deep nesting exhausts the
composer's recursion. So the events are checked *before* anything is constructed: a mapping
at the top, scalar keys, scalar values, no anchors, no aliases, no explicit tags. Only a
text that passes is handed to ``yaml.safe_load``, which can then only build a small dict of
scalars, in time linear in the text.

Errors are :class:`~knowledge.documents.DocumentError` with the line in the source file
(front matter starts on line 2); their English messages are translated for staff where an
upload is refused (``docstore.uploads``).
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["MAX_FRONT_MATTER_CHARS", "FrontMatterError", "load_front_matter"]

# A title, an issuer, a date, a source: a few hundred characters. Far beyond any real front
# matter, and small enough that the pure-Python YAML scanner reads it in milliseconds.
MAX_FRONT_MATTER_CHARS = 20_000

ALIAS_MESSAGE = "front matter may not use YAML anchors or aliases (& and *)"
TAG_MESSAGE = "front matter may not use YAML tags (!)"
MAPPING_MESSAGE = "front matter must be a mapping of fields"
TOO_LONG_MESSAGE = f"front matter is longer than {MAX_FRONT_MATTER_CHARS} characters"


class FrontMatterError(ValueError):
    """Front matter that is refused, with the line (1-based, within the front matter)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def nested_value_message(field: str) -> str:
    """The message for a field whose value is a list or a mapping."""
    return f"front matter field {field!r} must be a single value, not a list or a mapping"


def load_front_matter(text: str) -> dict[str, str]:
    """The fields of a front matter block (the lines between the ``---`` lines) as text.

    An empty value is ``""``; other scalars are written as ``str()`` writes what YAML made of
    them (a date stays ``2021-03-01``), so existing sources read as before. Raises
    :class:`FrontMatterError` for anything but a flat mapping of plain scalars, and
    ``yaml.YAMLError`` or ``ValueError`` for text YAML itself cannot read.
    """
    if len(text) > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError(1, TOO_LONG_MESSAGE)
    _check_events(text)
    raw: Any = yaml.safe_load(text) or {}
    if not isinstance(raw, dict):
        raise FrontMatterError(1, MAPPING_MESSAGE)
    return {str(k): "" if v is None else str(v).strip() for k, v in raw.items()}


def _check_events(text: str) -> None:
    """Check the parser's events for anything a flat mapping of plain values does not have.

    The parser is a state machine (no recursion) and builds nothing: its events are linear in
    the (bounded) text even for a bomb, where an alias is one event. They are all read first,
    so that a syntax error is reported as such, with its line.
    """
    depth = 0  # 1 inside the top-level mapping
    expecting_key = True
    field = ""
    for event in list(yaml.parse(text, Loader=yaml.SafeLoader)):
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise FrontMatterError(line, ALIAS_MESSAGE)
        if getattr(event, "tag", None) is not None:  # PyYAML sets it only when one is written
            raise FrontMatterError(line, TAG_MESSAGE)
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if depth == 0 and isinstance(event, yaml.MappingStartEvent):
                depth = 1
                continue
            if depth == 0:
                raise FrontMatterError(line, MAPPING_MESSAGE)
            raise FrontMatterError(
                line, nested_value_message(field) if not expecting_key else MAPPING_MESSAGE
            )
        if isinstance(event, yaml.ScalarEvent):
            if depth == 0:
                raise FrontMatterError(line, MAPPING_MESSAGE)
            if expecting_key:
                field = str(event.value)
            expecting_key = not expecting_key
        elif isinstance(event, yaml.MappingEndEvent):
            depth = 0
