"""Error pages: the 400 page says what was wrong (a ``BadRequest`` raised with a Vietnamese message,
e.g. by ``piiplan.web.params``) instead of a generic text."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import JsonResponse
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


NUL_MESSAGE = "Yêu cầu chứa ký tự không hợp lệ (ký tự NUL, mã 0); hãy nhập lại giá trị."


class ControlCharacterMiddleware:
    """A NUL character in a query parameter or a typed form value is never meaningful and PostgreSQL
    refuses it in text fields (a 500 deep in a query): refuse the request up front with a 400 page.
    The POST body is parsed here rather than in the CSRF check a moment later (no view sets its own
    upload handlers); file contents are not looked at, only typed values."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = [v for _, vs in request.GET.lists() for v in vs]
        if request.method == "POST":
            values += [v for _, vs in request.POST.lists() for v in vs]
        if any("\x00" in v for v in values) or "\x00" in request.path:
            if "/api/" in request.path:  # the JSON API answers errors as {"error": …}
                return JsonResponse({"error": NUL_MESSAGE}, status=400, json_dumps_params={"ensure_ascii": False})
            return render(request, "400.html", {"message": NUL_MESSAGE}, status=400)
        return self.get_response(request)
