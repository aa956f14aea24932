"""factory_boy factories for the domain models, one section per app."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from doelen.models import (
    CheckIn,
    Confidence,
    Goal,
    GoalContribution,
    MeasureType,
    OrganisationObjective,
)
from doelen.services import goals_recompute_last_check_in
from rollen.models import ExportFile, ImportFile, Role, RoleAssignment
from teams.models import Employee, Membership, Team

# teams


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"Medewerker {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("demo")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    purpose = "Wij helpen inwoners."

    @factory.post_generation
    def managers(self, create, extracted, **kwargs):
        if create and extracted:
            self.managers.add(*extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    employee = factory.SubFactory(EmployeeFactory)
    team = factory.SubFactory(TeamFactory)
    since = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))


# rollen


def role(slug: str) -> Role:
    return Role.objects.get(slug=slug)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    employee = factory.SubFactory(EmployeeFactory)
    team = factory.SubFactory(TeamFactory)
    role = factory.LazyFunction(lambda: role("vakman"))
    since = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=300))


# doelen


def objective(slug: str) -> OrganisationObjective:
    return OrganisationObjective.objects.get(slug=slug)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"Doel {n}")
    measure_type = MeasureType.PERCENTAGE
    unit = "%"
    start_value = Decimal(0)
    target_value = Decimal(100)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=120))


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    goal = factory.SubFactory(GoalFactory)
    author = factory.SubFactory(EmployeeFactory)
    value = Decimal(10)
    confidence = Confidence.ON_TRACK

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as a bulk loader would (any `created_at`, no goal lock): the goal's latest
        check-in is then set by the helper bulk loaders use."""
        check_in = super()._create(model_class, *args, **kwargs)
        goals_recompute_last_check_in([check_in.goal_id])
        return check_in


class GoalContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalContribution

    goal = factory.SubFactory(GoalFactory)
    member = factory.SubFactory(EmployeeFactory)
    description = "denkt mee"
    since = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    added_by = factory.SelfAttribute("member")


# afspraken


def make_agreement(
    *,
    team,
    owner,
    actor=None,
    title="Zo vervangen we elkaar",
    text="Bij ziekte neemt de buddy de lopende zaken over.",
    agreed_on=None,
    review_on=None,
):
    """An agreement with its first version, through the service (as the page stores it)."""
    from afspraken.services import AgreementData, agreement_create

    today = timezone.localdate()
    return agreement_create(
        team=team,
        actor=actor or owner,
        data=AgreementData(
            title=title,
            text=text,
            owner=owner,
            agreed_on=agreed_on or today - datetime.timedelta(days=30),
            review_on=review_on or today + datetime.timedelta(days=150),
        ),
    )


def hr_file_samples(*, owner: Employee) -> dict:
    """An uploaded import file and a finished export of `owner`: the samples for the HR
    file URLs (the authorisation table and the Cache-Control walk)."""
    import_file = ImportFile.objects.create(
        uploaded_by=owner, filename="hr.csv", content=b"naam;team\nA;B\n", size=14
    )
    export_file = ExportFile.objects.create(
        requested_by=owner,
        overview="personen",
        file_format="csv",
        language="nl",
        filename="rollen-personen.csv",
        content=b"naam\r\nA\r\n",
        size=9,
        rows=1,
        status="ready",
    )
    return {"import_file": import_file.pk, "export_file": export_file.pk}
