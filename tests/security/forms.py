"""Find the forms on a rendered page (stdlib HTML parser), for the fuzz tests."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)
    multipart: bool = False


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(
                method=attrs.get("method", "get").lower(),
                action=attrs.get("action", ""),
                multipart="multipart" in attrs.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        if self._form is None or not attrs.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(attrs.get("value", ""))
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            existing = self._form.fields.get(name)
            if kind in ("radio", "checkbox") and existing is not None:
                existing.options.append(attrs.get("value", "on"))
                return
            self._form.fields[name] = Field(
                name,
                kind,
                attrs.get("value", ""),
                [attrs.get("value", "on")] if kind in ("radio", "checkbox") else [],
            )
        elif tag == "select":
            self._select = Field(name, "select")
            self._form.fields[name] = self._select
        elif tag == "textarea":
            self._textarea = Field(name, "textarea")
            self._form.fields[name] = self._textarea

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def find_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms
