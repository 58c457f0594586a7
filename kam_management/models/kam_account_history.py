from odoo import api, fields, models
from odoo.tools import SQL

from .res_partner import QUADRANTS, TEMPERATURES, TIERS

HISTORY_KINDS = [
    ("tier", "Tier"),
    ("quadrant", "Quadrant"),
    ("temperature", "Temperature"),
    ("cadence_breach", "Cadence breach"),
]
HISTORY_CAUSES = [
    ("refresh", "Daily refresh"),
    ("override", "Tier override"),
    ("rating", "Criteria rating"),
    ("settings", "Settings"),
    ("manual", "Manual change"),
]
# The labels of the values each kind records (the keys are stored, the labels shown).
HISTORY_VALUES = {
    "tier": TIERS,
    "quadrant": QUADRANTS,
    "temperature": TEMPERATURES,
}
HISTORY_LABELS = [
    *TIERS,
    *QUADRANTS,
    *TEMPERATURES,
    ("in_time", "In time"),
    ("overdue", "Overdue"),
]


class KamAccountHistory(models.Model):
    """One change of an account's tier, quadrant or temperature, or the start of an
    overdue contact spell: when, from what to what, and why. Written by the code
    only (the daily job, the tier override, the ratings), never by hand."""

    _name = "kam.account.history"
    _description = "Key Account Move"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", "Account", required=True, ondelete="cascade", index=True
    )
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)
    kind = fields.Selection(HISTORY_KINDS, required=True, index=True)
    old_value = fields.Char("From (key)")
    new_value = fields.Char("To (key)")
    # The translated labels of the keys, stored to group by them in the pivot. The
    # keys of tiers (a-d), quadrants and temperatures never collide: one selection.
    # Set with the keys at creation (the rows never change): no recompute, no UPDATE.
    old_label = fields.Selection(HISTORY_LABELS, "From", readonly=True)
    new_label = fields.Selection(HISTORY_LABELS, "To", readonly=True)
    cause = fields.Selection(HISTORY_CAUSES, required=True, default="manual")
    cause_note = fields.Char("Details")
    manager_id = fields.Many2one("res.users", "Key Account Manager", index=True)
    team_id = fields.Many2one("crm.team", "Sales Team", index=True)
    company_id = fields.Many2one("res.company", index=True)

    @api.model
    def _kam_label(self, kind, value):
        """The label key of a recorded value (False for none or an unknown key)."""
        if kind == "cadence_breach":
            return value if value in ("overdue", "in_time") else False
        return value if value in dict(HISTORY_VALUES.get(kind, [])) else False

    @api.model
    def _kam_record(self, rows):
        """Create history rows in one go, with the account's manager, team and company
        as they are now in the current company (the one the move is about). ``rows``
        are dicts with partner_id, kind, old_value,
        new_value, cause and optionally cause_note and date."""
        if not rows:
            return self
        partners = self.env["res.partner"].browse({r["partner_id"] for r in rows})
        partners.fetch(["kam_manager_id", "company_id"])
        # One read of the managers' teams for the whole batch.
        partners.kam_manager_id.fetch(["sale_team_id"])
        now = fields.Datetime.now()
        columns = (
            "partner_id",
            "kind",
            "date",
            "old_value",
            "new_value",
            "old_label",
            "new_label",
            "cause",
            "cause_note",
            "manager_id",
            "team_id",
            "company_id",
        )
        values = []
        for row in rows:
            partner = partners.browse(row["partner_id"])
            values.append(
                (
                    row["partner_id"],
                    row["kind"],
                    row.get("date") or now,
                    row.get("old_value") or None,
                    row.get("new_value") or None,
                    self._kam_label(row["kind"], row.get("old_value")) or None,
                    self._kam_label(row["kind"], row.get("new_value")) or None,
                    row.get("cause") or "manual",
                    row.get("cause_note") or None,
                    partner.kam_manager_id.id or None,
                    partner.kam_manager_id.sale_team_id.id or None,
                    self.env.company.id,
                )
            )
        # One INSERT for the whole batch, one array per column (the ORM inserts 100
        # rows a query): the rows are a log the system writes, with no computed
        # field and no default beyond the audit columns set here.
        types = (
            "int4",
            "varchar",
            "timestamp",
            "varchar",
            "varchar",
            "varchar",
            "varchar",
            "varchar",
            "varchar",
            "int4",
            "int4",
            "int4",
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO kam_account_history (%(columns)s, create_uid, create_date,
                                                 write_uid, write_date)
                SELECT *, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(arrays)s)
                RETURNING id
                """,
                columns=SQL(", ").join(SQL.identifier(c) for c in columns),
                arrays=SQL(", ").join(
                    SQL("%s::%s[]", [row[i] for row in values], SQL(kind))
                    for i, kind in enumerate(types)
                ),
                uid=self.env.uid,
                now=now,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])
