"""Signals that `teams` sends so that apps above it can keep their own data in step without
`teams` importing them (imports only run downward).

`membership_ended` is sent by teams.services.membership_end inside its transaction, after the
membership has been ended and audited, with `membership` (the ended Membership), `until` (its
last day) and `actor` (who did it, or None). A receiver that raises ValidationError refuses the
end: the whole transaction rolls back and the caller sees the message. rollen ends the roles
held in the team on the same date (rollen.apps.RollenConfig.ready).

`employee_anonymised` is sent by teams.services.employee_anonymise inside its transaction,
after the details are replaced, with `employee` and `actor`. ontwikkeling deletes the
person's development intentions and notes (docs/decisions/0022-persoonlijke-ontwikkeling.md).
"""

from django.dispatch import Signal

membership_ended = Signal()
employee_anonymised = Signal()
