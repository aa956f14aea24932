"""The four roles as the organisation defined them (docs/architecture.md). Used by the data
migration and by `ensure_roles`, which restores them after a database flush (demo, tests)."""

from common.bilingual import ensure_bilingual_rows

ROLES = [
    (
        "ondernemer",
        "vernieuwende maatschappelijk ondernemer",
        "innovative social entrepreneur",
        "Ziet kansen in de samenleving en zet nieuwe ideeën om in initiatieven voor inwoners "
        "en ondernemers.",
        "Spots opportunities in society and turns new ideas into initiatives for residents "
        "and businesses.",
    ),
    (
        "samenwerkingspartner",
        "verbindende samenwerkingspartner",
        "connecting partner",
        "Bouwt en onderhoudt relaties met inwoners, partners en collega's, binnen en buiten "
        "de organisatie.",
        "Builds and keeps relations with residents, partners and colleagues, inside and "
        "outside the organisation.",
    ),
    (
        "vakman",
        "meedenkende vakman",
        "thinking-along professional",
        "Brengt vakkennis in en denkt mee over de beste oplossing voor de vraag van de inwoner.",
        "Brings expertise and thinks along about the best answer to the resident's question.",
    ),
    (
        "facilitator",
        "stimulerende facilitator/organisator",
        "stimulating facilitator/organiser",
        "Zorgt dat het team goed kan werken: planning, overleg, afspraken en ontwikkeling.",
        "Makes sure the team can work well: planning, meetings, agreements and development.",
    ),
]


def ensure_roles(role_model) -> None:
    """Create the four roles if missing. `role_model` may be a migration's historical model."""
    ensure_bilingual_rows(role_model, ROLES)
