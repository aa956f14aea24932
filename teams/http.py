"""A request whose user has logged in, for the type checker.

`request.user` is `Employee | AnonymousUser` to mypy. A view behind `@login_required` may
annotate its request as `AuthenticatedHttpRequest` so `request.user` is an `Employee`:

    @login_required
    def team_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse: ...

This is the approach the django-stubs README recommends. It lives in `teams`, which owns the
user model, because `common` imports no app.
"""

from django.http import HttpRequest

from teams.models import Employee


class AuthenticatedHttpRequest(HttpRequest):
    user: Employee
