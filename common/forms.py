"""Form helpers any app may use."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message on its field when the form
    has that field, else on the form as a whole (shown in the error summary)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)
