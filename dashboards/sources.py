"""What the dashboards show depends on these models, declared once.

Each `Source` names a model the dashboards read and how one of its rows leads to the teams
whose dashboards show it: a lookup from the row to team ids (`"team_id"`,
`"goal__team_id"`, ...), or `EVERY_TEAM` for reference data shown on every team's
dashboard (roles, objectives, themes). `fields`, when given, limits the changes that count
to those fields (a person's name, not every log-in). `M2M_SOURCES` names the many-to-many
fields the dashboards read.

`dashboards.freshness` connects receivers for these in `DashboardsConfig.ready()` and raises
the teams' data versions after the transaction commits. tests/dashboard/test_freshness.py
renders every dashboard page, collects the tables its queries read and fails when a table
read has no source here (or a source without a write case in the test): a new model that a
dashboard reads must be added here.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models

EVERY_TEAM = None


@dataclass(frozen=True)
class Source:
    model: str  # "app_label.ModelName"
    teams: str | None  # lookup from a row to its team ids; EVERY_TEAM: all teams
    fields: frozenset[str] | None = None  # only changes to these fields count

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def is_direct(self) -> bool:
        """The row holds its team id itself (it can move to another team)."""
        return self.teams is not None and "__" not in self.teams


@dataclass(frozen=True)
class M2MSource:
    model: str  # the model that declares the field
    field: str
    teams: str  # lookup from a row of `model` to its team ids

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def through(self) -> type[models.Model]:
        field = self.model_class._meta.get_field(self.field)
        if not isinstance(field, models.ManyToManyField):
            raise TypeError(f"{self.model}.{self.field} is not a many-to-many field")
        through = field.remote_field.through
        if through is None:
            raise TypeError(f"{self.model}.{self.field} has no through model")
        return through


SOURCES = [
    Source("teams.Team", "pk"),
    Source("teams.Membership", "team_id"),
    # Only what the dashboards show of a person: not every log-in (last_login).
    Source("teams.Employee", "memberships__team_id", fields=frozenset({"name", "is_active"})),
    Source("rollen.RoleAssignment", "team_id"),
    Source("rollen.Role", EVERY_TEAM),
    Source("doelen.Goal", "team_id"),
    Source("doelen.CheckIn", "goal__team_id"),
    Source("doelen.OrganisationObjective", EVERY_TEAM),
    Source("doelen.GoalContribution", "goal__team_id"),
    Source("afspraken.Agreement", "team_id"),
    Source("afspraken.AgreementVersion", "agreement__team_id"),
    Source("ontwikkeling.ScanRound", "team_id"),
    Source("ontwikkeling.ScanResponse", "round__team_id"),
    Source("ontwikkeling.AnswerSet", "round__team_id"),
    Source("ontwikkeling.Answer", "answer_set__round__team_id"),
    Source("ontwikkeling.DevelopmentGoal", "goal__team_id"),
    Source("ontwikkeling.TeamResponsibility", "team_id"),
    Source("ontwikkeling.Theme", EVERY_TEAM),
    Source("ontwikkeling.Statement", EVERY_TEAM),
    Source("ontwikkeling.Responsibility", EVERY_TEAM),
    # The manager's dashboard counts members with a current intention (never its text):
    # only a new intention, a change of status or a delete changes that count.
    Source(
        "ontwikkeling.DevelopmentIntention",
        "employee__memberships__team_id",
        fields=frozenset({"status"}),
    ),
]

M2M_SOURCES = [
    M2MSource("doelen.Goal", "objectives", "team_id"),
    M2MSource("teams.Team", "managers", "pk"),
]


def source_tables() -> set[str]:
    """The database tables of every declared source (with the many-to-many tables)."""
    tables = {source.model_class._meta.db_table for source in SOURCES}
    tables |= {source.through._meta.db_table for source in M2M_SOURCES}
    return tables
