from django import template

register = template.Library()


@register.inclusion_tag("ontwikkeling/_weakest_theme.html")
def weakest_theme(weakest_by_team, team_id):
    """{% weakest_theme weakest_by_team team.pk %}: a team's weakest theme from the dict
    that ontwikkeling.selectors.weakest_themes returns."""
    return {"weakest": (weakest_by_team or {}).get(team_id)}
