"""Reference data kept in both languages (roles, objectives, development themes,
responsibilities): the field for the active language, Dutch unless it is English."""

from django.utils.translation import get_language


def in_active_language(dutch: str, english: str) -> str:
    return english if get_language() == "en" else dutch


class BilingualName:
    """For a model with `name_nl` and `name_en`."""

    # Declared for the type checker only; the model defines the fields.
    name_nl: str
    name_en: str

    @property
    def name(self) -> str:
        return in_active_language(self.name_nl, self.name_en)


class BilingualNameAndDescription(BilingualName):
    """For a model that also has `description_nl` and `description_en`."""

    description_nl: str
    description_en: str

    @property
    def description(self) -> str:
        return in_active_language(self.description_nl, self.description_en)


def ensure_bilingual_rows(model, rows) -> None:
    """Create the reference rows that are missing, in the order given. Each row is
    (slug, name_nl, name_en, description_nl, description_en); a row that exists is left
    alone, so an administrator's edits survive. `model` may be a migration's historical
    model."""
    for order, (slug, name_nl, name_en, description_nl, description_en) in enumerate(rows, 1):
        model.objects.get_or_create(
            slug=slug,
            defaults={
                "name_nl": name_nl,
                "name_en": name_en,
                "description_nl": description_nl,
                "description_en": description_en,
                "order": order,
            },
        )
