"""Domain errors that carry their HTTP meaning, so pages and the API map them in one place."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the user can act on. `message` is already translated for the user's language."""

    http_status = 400
    code = "invalid"

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field_errors = {k: [str(m) for m in v] for k, v in (field_errors or {}).items()}
        if code:
            self.code = code

    def as_dict(self) -> dict:
        data: dict = {"detail": self.message, "code": self.code}
        if self.field_errors:
            data["errors"] = self.field_errors
        return data


class ValidationFailed(DomainError):
    http_status = 422
    code = "validation_error"


class NotAuthenticated(DomainError):
    http_status = 401
    code = "not_authenticated"


class PermissionDeniedError(DomainError):
    http_status = 403
    code = "permission_denied"


class NotFoundError(DomainError):
    http_status = 404
    code = "not_found"


class ConflictError(DomainError):
    http_status = 409
    code = "conflict"


class PreconditionRequired(DomainError):
    """A write that does not say which version of the record it is based on (HTTP 428)."""

    http_status = 428
    code = "version_required"


def field_error(
    field: str,
    message: str,
    *,
    detail: str | None = None,
    code: str | None = None,
    error: type[DomainError] = ValidationFailed,
) -> DomainError:
    """The refusal of one field's input, to raise: `raise field_error("code", _("This code is taken."))`.

    `message` is shown beside the field and is the error's detail, unless `detail` gives a longer sentence for the
    whole answer. `error` is the class when the refusal is not a 422 (a file refused, a 404, a 409…)."""
    return error(message if detail is None else detail, field_errors={field: [message]}, code=code)


def fields_error(errors: dict[str, list[str]], *, error: type[DomainError] = ValidationFailed) -> DomainError:
    """The refusal of several fields at once, to raise: each field with its messages, the first message the
    error's detail. `field_error` is the one-field case."""
    return error(next(iter(errors.values()))[0], field_errors=errors)


def validation_from_django(exc) -> ValidationFailed:
    """Turn a django.core.exceptions.ValidationError into a ValidationFailed with per-field messages."""
    from django.core.exceptions import NON_FIELD_ERRORS
    from django.utils.translation import gettext as _

    if hasattr(exc, "message_dict"):
        fields = {("__all__" if k == NON_FIELD_ERRORS else k): list(v) for k, v in exc.message_dict.items()}
    else:
        fields = {"__all__": list(exc.messages)}
    first = next(iter(fields.values()))[0] if fields else _("Invalid data.")
    return ValidationFailed(first, field_errors=fields)
