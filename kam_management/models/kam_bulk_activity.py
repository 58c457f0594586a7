import json
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.mail.models.mail_activity import MailActivity as MailActivityBase
from odoo.addons.mail.models.mail_followers import Followers as MailFollowersBase
from odoo.addons.mail.models.mail_thread import MailThread

# The methods between a create and its table: while only the ORM and mail define
# them for a model, one INSERT does what they would.
CREATE_METHODS = (
    "create",
    "_create",
    "_prepare_create_values",
    "_add_missing_default_values",
    "_add_precomputed_values",
)
# mail's way from a subscription to the followers' table.
SUBSCRIBE_METHODS = {
    "res.partner": (MailThread, ("message_subscribe", "_message_subscribe")),
    "mail.followers": (
        MailFollowersBase,
        ("_insert_followers", "_add_default_followers", "_add_followers"),
    ),
}
# The columns the ORM fills itself on every create.
AUDIT_COLUMNS = ("id", *models.LOG_ACCESS_COLUMNS)


class KamBulkActivity(models.AbstractModel):
    """The daily job's activities (tier reminders, feedback requests), by the
    hundred a batch on a first run: one ``INSERT`` for a batch instead of
    mail.activity's create, whose per-record work (defaults, the precomputed model,
    the cache, its followers) was most of a first-run batch (benchmarks/
    bench_kam_cron.py, README). It does what that create does for them:
    mail.activity's defaults (asked once for the batch), the assignees following
    their accounts with mail's default subtypes (one more INSERT), their activity
    menus told (bus), what depends on activities and followers marked modified. No
    e-mail, as before (mail_activity_quick_update).

    When another module extends mail.activity's create (or the followers' own, or
    the subscription), or gives them a stored field the ``INSERT`` would not fill,
    they go through Odoo's create and ``message_subscribe`` instead: no extension is
    skipped (``_kam_insert_supported``, ``_kam_follow_supported``)."""

    _name = "kam.bulk.activity"
    _description = "Key account activities of the daily job"

    @api.model
    def _kam_create(self, values):
        """Create the activities of ``values`` (dicts of res_model_id, res_id,
        activity_type_id, user_id, date_deadline, summary, on res.partner); return
        them."""
        if not values:
            return self.env["mail.activity"]
        values = self._kam_complete(values)
        if self._kam_insert_supported(values):
            return self._kam_insert(values)
        return self._kam_orm_create(values)

    @api.model
    def _kam_complete(self, values):
        """``values`` with the stored fields mail.activity computes (the document's
        model and name, the assignee's time zone, no done date): one read of the
        accounts' names and one of the users' time zones for all of them. An
        account's name is its stored complete name (what its display name is made
        of, without computing that for each)."""
        partners = self.env["res.partner"].browse({v["res_id"] for v in values})
        partners.fetch(["complete_name"])
        names = {
            partner.id: (partner.complete_name or "").strip() or partner.display_name
            for partner in partners
        }
        users = self.env["res.users"].sudo().browse({v["user_id"] for v in values})
        users.fetch(["tz"])
        return [
            dict(
                vals,
                res_model="res.partner",
                res_name=names[vals["res_id"]],
                user_tz=users.browse(vals["user_id"]).tz or False,
                date_done=False,
            )
            for vals in values
        ]

    @api.model
    def _kam_insert_supported(self, values):
        """Whether one INSERT does all that mail.activity's create would do with
        ``values``."""
        return self._kam_may_insert(
            "mail.activity", MailActivityBase, set().union(*values)
        )

    @api.model
    def _kam_may_insert(self, model_name, base, given, relations=(), defaults=True):
        """Whether an INSERT of the columns ``given`` (and the many2many
        ``relations``) into ``model_name``'s table does all that its create would:
        nothing but the ORM and ``base`` (mail's class) between the create and the
        table, every stored computed field given, no default outside the table's
        columns (a many2many) nor, unless the caller applies them (``defaults``),
        outside ``given``, no column holding several values (translated,
        company-dependent)."""
        if not self._kam_defined_only_by(
            model_name, (models.BaseModel, base), CREATE_METHODS
        ):
            return False
        for field in self.env[model_name]._fields.values():
            if not field.store or field.name in AUDIT_COLUMNS:
                continue
            if field.compute and field.name not in given:
                return False
            if not defaults and field.default and field.name not in given:
                return False
            if not field.column_type:
                if field.name not in relations and (
                    field.name in given or field.default
                ):
                    return False
            elif field.column_type[0] == "jsonb":
                return False
        return True

    @api.model
    def _kam_insert(self, values):
        activities = self.env["mail.activity"].sudo()
        columns = [
            field
            for field in activities._fields.values()
            if field.store and field.column_type and field.name not in AUDIT_COLUMNS
        ]
        # mail.activity's defaults (and those of the modules that add fields to
        # it), asked once: the job's context is the same for every row.
        given = set().union(*values)
        defaults = activities.default_get(
            [field.name for field in columns if field.name not in given]
        )
        # The columns given a value (an empty one is left out of its row: NULL).
        written = [
            field for field in columns if field.name in given or field.name in defaults
        ]
        rows = []
        for vals in values:
            vals = dict(defaults, **vals)
            row = {}
            for field in written:
                value = field.convert_to_column_insert(vals.get(field.name), activities)
                if value is not None:
                    row[field.name] = value
            rows.append(row)
        created = self._kam_insert_rows(
            activities,
            [field.name for field in written],
            rows,
            ("id", "res_id", "user_id", "date_deadline"),
        )
        records = activities.browse([row[0] for row in created])
        self._kam_created(records, [field.name for field in written])
        self._kam_subscribe(created)
        self._kam_notify(created)
        return records.with_env(self.env)

    @api.model
    def _kam_insert_rows(self, model, names, rows, returning, conflict=None):
        """INSERT ``rows`` (dicts of the columns ``names``: a key left out is
        NULL) into the table of ``model``, with its audit columns, as one JSON
        document typed by the table itself; return the ``returning`` columns of the
        new rows. ``conflict``: an ``ON CONFLICT`` clause."""
        audit = {}
        if model._log_access:
            now = self.env.cr.now()
            audit = dict.fromkeys(("create_uid", "write_uid"), self.env.uid)
            audit.update(dict.fromkeys(("create_date", "write_date"), now))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s (%(columns)s)
                SELECT %(values)s
                  FROM json_populate_recordset(NULL::%(table)s, %(rows)s) v
                %(conflict)s
                RETURNING %(returning)s
                """,
                table=SQL.identifier(model._table),
                columns=SQL(", ").join(
                    SQL.identifier(name) for name in [*names, *audit]
                ),
                values=SQL(", ").join(
                    [SQL.identifier("v", name) for name in names]
                    + [SQL("%s", value) for value in audit.values()]
                ),
                rows=json.dumps(rows, separators=(",", ":"), default=str),
                conflict=conflict or SQL(),
                returning=SQL(", ").join(SQL.identifier(name) for name in returning),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _kam_created(self, records, fnames):
        """What the ORM does after its INSERT: the one2many lists of the new
        records (an account's activities and followers, a user's activities) read
        again, what depends on them (an account's activity state, stored figures of
        other modules) recomputed."""
        written = [records._fields[fname] for fname in fnames]
        for field in written:
            for inverse in self.pool.field_inverses[field]:
                self.env[inverse.model_name].invalidate_model([inverse.name])
        # What was written is what the model computes (an activity's name, its
        # assignee's time zone...): not to be computed again.
        with self.env.protecting(written, records):
            records.modified(records._fields, create=True)
        records._validate_fields(fnames)

    @api.model
    def _kam_subscribe(self, created):
        """The assignees follow the accounts of their activities, as mail.activity's
        create makes them."""
        accounts = defaultdict(set)
        for _id, res_id, user_id, _deadline in created:
            if user_id:
                accounts[user_id].add(res_id)
        users = self.env["res.users"].sudo().browse(accounts)
        if self._kam_follow_supported():
            self._kam_follow({user.partner_id.id: accounts[user.id] for user in users})
            return
        for user in users:
            partners = self.env["res.partner"].sudo().browse(sorted(accounts[user.id]))
            partners.message_subscribe(partner_ids=user.partner_id.ids)

    @api.model
    def _kam_defined_only_by(self, model_name, bases, methods):
        """Whether no class of ``model_name`` but ``bases`` defines one of
        ``methods``: no installed module extends them."""
        return not any(
            name in vars(cls)
            for cls in type(self.env[model_name]).__mro__
            if cls not in bases
            for name in methods
        )

    @api.model
    def _kam_follow_supported(self):
        """Whether the INSERT of ``_kam_follow`` does what mail's subscription of a
        partner to accounts would: nothing but mail on that way."""
        if not all(
            self._kam_defined_only_by(model_name, (base,), methods)
            for model_name, (base, methods) in SUBSCRIBE_METHODS.items()
        ):
            return False
        return self._kam_may_insert(
            "mail.followers",
            MailFollowersBase,
            {"res_model", "res_id", "partner_id", "subtype_ids"},
            relations=("subtype_ids",),
            defaults=False,
        )

    @api.model
    def _kam_follow(self, accounts):
        """``accounts``: {partner id: account ids} the partner is to follow, as
        ``message_subscribe`` subscribes them (mail.followers._insert_followers):
        active partners only, those who already follow keep their subscription,
        the others get the default subtypes of an account (a customer's external
        ones). One INSERT of the followers, one of their subtypes."""
        partners = (
            self.env["res.partner"]
            .sudo()
            .search([("id", "in", list(accounts)), ("active", "=", True)])
        )
        if not partners:
            return
        default, _internal, external = self.env[
            "mail.message.subtype"
        ].default_subtypes("res.partner")
        subtypes = {
            partner.id: (external if partner.partner_share else default).ids
            for partner in partners
        }
        followers = self.env["mail.followers"].sudo()
        created = self._kam_insert_rows(
            followers,
            ["res_model", "res_id", "partner_id"],
            [
                {"res_model": "res.partner", "res_id": res_id, "partner_id": pid}
                for pid in partners.ids
                for res_id in sorted(accounts[pid])
            ],
            ("id", "partner_id"),
            conflict=SQL("ON CONFLICT (res_model, res_id, partner_id) DO NOTHING"),
        )
        relation = followers._fields["subtype_ids"]
        pairs = [
            (follower_id, subtype_id)
            for follower_id, pid in created
            for subtype_id in subtypes[pid]
        ]
        if pairs:
            self.env.cr.execute(
                SQL(
                    "INSERT INTO %s (%s, %s) "
                    "SELECT * FROM unnest(%s::int[], %s::int[])",
                    SQL.identifier(relation.relation),
                    SQL.identifier(relation.column1),
                    SQL.identifier(relation.column2),
                    [pair[0] for pair in pairs],
                    [pair[1] for pair in pairs],
                )
            )
        self._kam_created(
            followers.browse([row[0] for row in created]),
            ["res_model", "res_id", "partner_id", "subtype_ids"],
        )

    @api.model
    def _kam_notify(self, created):
        """The activity menus of the assignees with something due today or earlier
        count it at once, as after mail.activity's create."""
        today = fields.Date.today()
        due = {
            user_id for _id, _res, user_id, day in created if user_id and day <= today
        }
        if due:
            self.env["res.users"].sudo().browse(due)._bus_send(
                "mail.activity/updated", {"activity_created": True}
            )

    @api.model
    def _kam_orm_create(self, values):
        """Through mail.activity's create: in as few creates as possible, one
        unless an account gets two for the same person (a reminder and a feedback
        request), which go into separate creates (mail.activity's create subscribes
        the person once per activity: twice in one create breaks the followers'
        unique key)."""
        creates = []  # [({(account, user)}, [values])]
        for vals in values:
            key = (vals["res_id"], vals["user_id"])
            target = next((c for c in creates if key not in c[0]), None)
            if target is None:
                target = (set(), [])
                creates.append(target)
            target[0].add(key)
            target[1].append(vals)
        activities = self.env["mail.activity"].sudo()
        given = [activities._fields[f] for f in ("res_name", "user_tz", "date_done")]
        result = activities
        for _keys, batch in creates:
            # Reminders land in the reps' activity menus; no e-mail per reminder.
            created = activities.with_context(mail_activity_quick_update=True).create(
                batch
            )
            # mail.activity's create still queues those fields to be computed (the
            # ORM keeps only editable and precomputed fields from it), which would
            # cost the next flush a compute per activity to find the same values.
            for field in given:
                self.env.remove_to_compute(field, created)
            result |= created
        return result.with_env(self.env)
