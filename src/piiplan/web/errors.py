"""Error pages: the 400 page says what was wrong (a ``BadRequest`` raised with a Vietnamese message,
e.g. by ``piiplan.web.params``) instead of a generic text."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.shortcuts import render


def bad_request(request, exception=None, template_name="400.html"):
    message = ""
    if isinstance(exception, BadRequest) and exception.args:
        text = str(exception.args[0])
        # Only our own Vietnamese messages are shown (Django's internal ones are English).
        if text.startswith(("Tham số", "Giá trị", "Yêu cầu")):
            message = text
    return render(request, template_name, {"message": message}, status=400)


class InputErrorMiddleware:
    """Bad input that reached the engine (``piiplan.engine.errors.InputError``: a value out of range,
    ``1e308`` typed into a what-if field…) is the user's input, not a server fault: a 400 page with
    the engine's Vietnamese list of problems instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from piiplan.engine.errors import InputError

        if isinstance(exception, InputError):
            return render(request, "400.html", {"message": "; ".join(str(p) for p in exception.problems)
                                                or str(exception)}, status=400)
        return None
