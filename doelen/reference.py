"""The merger's five objectives (docs/architecture.md). Used by the data migration and by
`ensure_objectives`, which restores them after a database flush (demo, tests)."""

from common.bilingual import ensure_bilingual_rows

OBJECTIVES = [
    (
        "kwaliteit",
        "Hogere kwaliteit van dienstverlening",
        "Higher quality of service",
        "Inwoners en ondernemers krijgen betere en snellere dienstverlening.",
        "Residents and businesses get better and faster service.",
    ),
    (
        "dichtbij",
        "Dienstverlening dichtbij inwoners en ondernemers",
        "Service close to residents and businesses",
        "De organisatie is dichtbij en bereikbaar voor wie haar nodig heeft.",
        "The organisation is close by and easy to reach for those who need it.",
    ),
    (
        "kosten",
        "Beheersing van kosten",
        "Cost control",
        "De kosten van de organisatie blijven beheersbaar.",
        "The organisation keeps its costs under control.",
    ),
    (
        "kwetsbaarheid",
        "Minder kwetsbaarheid",
        "Less vulnerability",
        "Kennis en taken liggen niet bij één persoon; het werk gaat door als iemand uitvalt.",
        "Knowledge and tasks do not rest on one person; the work goes on when someone is away.",
    ),
    (
        "lokale-kleur",
        "Behoud van de lokale kleur",
        "Keeping the local character",
        "Boxtel en Sint-Michielsgestel houden hun eigen karakter.",
        "Boxtel and Sint-Michielsgestel keep their own character.",
    ),
]


def ensure_objectives(objective_model) -> None:
    """Create the five objectives if missing; `objective_model` may be a historical model."""
    ensure_bilingual_rows(objective_model, OBJECTIVES)
