"""`field_error` and `fields_error`: the one way a refusal names the fields it is about."""

import ast
from pathlib import Path

from ccn.core.errors import ConflictError, ValidationFailed, field_error, fields_error
from ccn.core.sheet_reader import FileRefused


def test_a_field_error_names_its_field_with_the_message_as_detail():
    error = field_error("code", "This code is taken.")
    assert type(error) is ValidationFailed and error.http_status == 422
    assert error.as_dict() == {
        "detail": "This code is taken.",
        "code": "validation_error",
        "errors": {"code": ["This code is taken."]},
    }


def test_a_longer_detail_a_code_and_another_class_are_kept():
    error = field_error("file", "Too many rows.", detail="The sheet has more than 10 rows.", error=FileRefused)
    assert isinstance(error, FileRefused)
    assert error.as_dict() == {
        "detail": "The sheet has more than 10 rows.",
        "code": "file_refused",
        "errors": {"file": ["Too many rows."]},
    }
    stale = field_error("version", "Changed meanwhile.", code="stale", error=ConflictError)
    assert (stale.http_status, stale.code, stale.field_errors) == (409, "stale", {"version": ["Changed meanwhile."]})


def single_field_errors_by_hand(source: str) -> list[int]:
    """Lines building `field_errors={field: [message]}` for one field, which `field_error` builds."""
    found = []
    for node in ast.walk(ast.parse(source)):
        for keyword in getattr(node, "keywords", []) if isinstance(node, ast.Call) else []:
            value = keyword.value
            if (
                keyword.arg == "field_errors"
                and isinstance(value, ast.Dict)
                and len(value.keys) == 1
                and isinstance(value.values[0], ast.List)
                and len(value.values[0].elts) == 1
            ):
                found.append(node.lineno)
    return found


# The helper itself, and an error class whose constructor names its own field.
BUILDS_ITS_OWN = {"ccn/core/errors.py", "ccn/geo/resolve.py"}


def test_every_single_field_refusal_uses_the_helper():
    root = Path(__file__).resolve().parents[3]
    found = {
        where: lines
        for path in sorted((root / "ccn").rglob("*.py"))
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and (where := str(path.relative_to(root))) not in BUILDS_ITS_OWN
        and (lines := single_field_errors_by_hand(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "raise field_error(field, message) (ccn/core/errors.py)"


def test_the_scan_tells_one_field_from_a_collection():
    source = (
        "raise ValidationFailed(msg, field_errors={'a': [msg]})\n"
        "raise ValidationFailed(msg, field_errors={'a': [msg], 'b': [msg]})\n"
        "raise ValidationFailed(msg, field_errors=errors)\n"
        "raise field_error('a', msg)\n"
    )
    assert single_field_errors_by_hand(source) == [1]


def test_a_refusal_of_several_fields_leads_with_the_first_message():
    error = fields_error({"x": ["X is too small.", "X is odd."], "y": ["Y is missing."]})
    assert type(error) is ValidationFailed
    assert error.as_dict() == {
        "detail": "X is too small.",
        "code": "validation_error",
        "errors": {"x": ["X is too small.", "X is odd."], "y": ["Y is missing."]},
    }
    assert isinstance(fields_error({"file": ["Empty."]}, error=FileRefused), FileRefused)


def test_no_refusal_of_several_fields_picks_its_first_message_by_hand():
    root = Path(__file__).resolve().parents[3]
    by_hand = [
        str(path.relative_to(root))
        for path in sorted((root / "ccn").rglob("*.py"))
        if "tests" not in path.parts
        and path.name != "errors.py"
        and "next(iter(" in (text := path.read_text(encoding="utf-8"))
        and ".values()))[0]" in text
    ]
    assert by_hand == [], "raise fields_error(errors) (ccn/core/errors.py)"
