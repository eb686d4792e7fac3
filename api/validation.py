"""Request validation problems in Chinese (the 422 bodies staff and residents may see).

pydantic writes its messages in English; each problem is rewritten from its error ``type`` and
context, the English ``msg`` staying only in the logs. A type not listed here gets a general
Chinese sentence rather than the English one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_CJK = re.compile(r"[\u4e00-\u9fff]")

# Messages of the app's own validators (api/schemas.py and the staff schemas).
OWN_MESSAGES = {
    "must not be blank": "不能为空白。",
    "must not contain control or invisible formatting characters": (
        "不能包含控制字符或不可见的格式字符。"
    ),
}

TEMPLATES = {
    "missing": "缺少此项。",
    "extra_forbidden": "不接受此项。",
    "string_type": "应为文字。",
    "string_too_short": "至少需要 {min_length} 个字符。",
    "string_too_long": "最多 {max_length} 个字符。",
    "string_pattern_mismatch": "格式不正确。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "int_from_float": "应为整数。",
    "float_type": "应为数字。",
    "float_parsing": "应为数字。",
    "bool_type": "应为是或否（true/false）。",
    "bool_parsing": "应为是或否（true/false）。",
    "greater_than": "应大于 {gt}。",
    "greater_than_equal": "应不小于 {ge}。",
    "less_than": "应小于 {lt}。",
    "less_than_equal": "应不大于 {le}。",
    "too_short": "至少需要 {min_length} 项。",
    "too_long": "最多 {max_length} 项。",
    "list_type": "应为列表。",
    "dict_type": "应为对象（JSON 对象）。",
    "model_type": "应为对象（JSON 对象）。",
    "model_attributes_type": "应为对象（JSON 对象）。",
    "json_invalid": "请求内容不是有效的 JSON。",
    "json_type": "请求内容不是有效的 JSON。",
    "literal_error": "应为以下之一：{expected}。",
    "enum": "应为以下之一：{expected}。",
    "date_parsing": "应为日期（如 2026-01-31）。",
    "date_from_datetime_parsing": "应为日期（如 2026-01-31）。",
    "datetime_parsing": "应为日期和时间。",
    "datetime_from_date_parsing": "应为日期和时间。",
    "string_unicode": "应为有效的文字（UTF-8）。",
}


def chinese_problem(error: Mapping[str, Any]) -> str:
    """One pydantic error as a Chinese sentence."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "value_error":
        message = str(context.get("error", error.get("msg", "")))
        message = message.removeprefix("Value error, ")
        if message in OWN_MESSAGES:
            return OWN_MESSAGES[message]
        return message if _CJK.search(message) else "取值不正确。"
    template = TEMPLATES.get(kind)
    if template is None:
        return "取值不正确。"
    try:
        return template.format(**{k: _shown(v) for k, v in context.items()})
    except (KeyError, IndexError):
        return "取值不正确。"


def _shown(value: Any) -> str:
    """pydantic's ``expected`` reads "'a' or 'b'"; the rest are numbers."""
    text = str(value)
    return text.replace("' or '", "、").replace("', '", "、").strip("'")
