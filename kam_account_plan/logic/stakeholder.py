"""Stakeholder status: still in place, role changed, or left the customer."""

STAKEHOLDER_ACTIVE = "active"
STAKEHOLDER_ROLE_CHANGED = "role_changed"
STAKEHOLDER_LEFT = "left"


def _norm(text):
    return " ".join((text or "").split()).casefold()


def stakeholder_status(
    *,
    contact_active,
    same_company,
    marked_left,
    function_at_plan,
    current_function,
    role_at_plan=None,
    current_role=None,
):
    """Classify a stakeholder.

    Left: marked as left, archived, or no longer a contact of the customer. Role
    changed: the job position recorded on the plan differs from the contact's current
    one (an empty record on the plan means "unknown" and never signals a change), or
    their buying role on the plan changed since it was recorded (an influencer who
    became a gatekeeper, docs/METHOD.md#coverage).
    """
    if marked_left or not contact_active or not same_company:
        return STAKEHOLDER_LEFT
    if _norm(function_at_plan) and _norm(function_at_plan) != _norm(current_function):
        return STAKEHOLDER_ROLE_CHANGED
    if role_at_plan and current_role and role_at_plan != current_role:
        return STAKEHOLDER_ROLE_CHANGED
    return STAKEHOLDER_ACTIVE
