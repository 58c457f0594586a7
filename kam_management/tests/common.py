import datetime

from odoo import fields
from odoo.tests import TransactionCase, new_test_user


class KamCase(TransactionCase):
    """Accounts, reps and a director on a clean slate: the demo data's opportunities
    are put aside so that the benchmark is the one the test builds.

    The base of every KAM addon's tests (as ``sale_crm`` builds on ``crm``'s
    ``TestCrmCommon``): the downstream bases extend it and adjust the class
    attributes below rather than repeat the prelude.
    """

    # Context of the test environment: tracking on, as in production.
    kam_context = {"tracking_disable": False, "mail_notrack": False}
    # The users every test gets: attribute -> (login, name, group).
    kam_users = {
        "rep": ("kam_rep", "Rep One", "kam_management.group_kam_user"),
        "rep2": ("kam_rep2", "Rep Two", "kam_management.group_kam_user"),
        "director": ("kam_director", "Director", "kam_management.group_kam_manager"),
    }
    # The company's KAM settings the tests build on (the literature's levels).
    kam_company_settings = {
        "kam_revenue_source": "opportunity",
        "kam_benchmark_method": "top",
        "kam_benchmark_top_n": 5,
        "kam_tier_b_ratio": 60.0,
        "kam_tier_c_ratio": 30.0,
        "kam_cadence_a": 30,
        "kam_cadence_b": 90,
        "kam_cadence_c": 90,
        "kam_cadence_d": 180,
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **cls.kam_context))
        cls.env.cr.execute("UPDATE crm_lead SET active = false")
        cls.env.invalidate_all()
        cls.company = cls.env.company
        cls.company.write(cls.kam_company_settings)
        for attribute, (login, name, groups) in cls.kam_users.items():
            user = new_test_user(
                cls.env, login=login, tz=cls.env.user.tz, groups=groups, name=name
            )
            setattr(cls, attribute, user)
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.open_stage = cls.env["crm.stage"].search([("is_won", "=", False)], limit=1)
        # "Today" is the users' (the daily job's) date, not the server's: they differ
        # in the hours around midnight UTC.
        cls.today = fields.Date.context_today(cls.env.user)
        cls.Partner = cls.env["res.partner"]

    @classmethod
    def _account(cls, name, manager=None, **values):
        return cls.Partner.create(
            {
                "name": name,
                "is_company": True,
                "kam_manager_id": manager.id if manager else False,
                **values,
            }
        )

    @classmethod
    def _sale(cls, partner, amount, day=None, company=None):
        """A won opportunity of ``amount`` closed on ``day`` (default: 10 days ago),
        of ``company`` (default: the current one)."""
        lead = cls.env["crm.lead"].create(
            {
                "name": f"Deal {partner.name} {amount}",
                "type": "opportunity",
                "partner_id": partner.id,
                "expected_revenue": amount,
                "stage_id": cls.won_stage.id,
                **({"company_id": company.id} if company else {}),
            }
        )
        day = day or cls.today - datetime.timedelta(days=10)
        lead.date_closed = datetime.datetime.combine(day, datetime.time(12))
        return lead

    @classmethod
    def _log_contact(cls, partner, day, channel="call"):
        """Evidence of a contact with ``partner`` on ``day``, the kind the daily job
        takes the last contact date from: a logged call (``channel="call"``, which
        also counts as time spent in the pyramid) or an e-mail received."""
        values = {
            "model": "res.partner",
            "res_id": partner.id,
            "body": "Contact",
            "date": datetime.datetime.combine(day, datetime.time(0)),
        }
        if channel == "call":
            values.update(
                message_type="notification",
                subtype_id=cls.env.ref("mail.mt_activities").id,
                mail_activity_type_id=cls.env.ref("mail.mail_activity_data_call").id,
            )
        else:
            values.update(
                message_type="email", subtype_id=cls.env.ref("mail.mt_comment").id
            )
        return cls.env["mail.message"].create(values)

    def _refresh_all(self, batch_size=1000):
        """Run the daily job until nothing remains, as the cron runner does."""
        runs = 0
        while self.Partner._cron_kam_daily(batch_size=batch_size):
            runs += 1
            self.assertLess(runs, 1000, "the daily job never finishes")
        return runs + 1

    @classmethod
    def _team(cls, name, users):
        """A sales team of ``users`` (their main team: ``user.sale_team_id``)."""
        return cls.env["crm.team"].create(
            {
                "name": name,
                "crm_team_member_ids": [(0, 0, {"user_id": user.id}) for user in users],
            }
        )

    def _history(self, partners, kind=None):
        domain = [("partner_id", "in", partners.ids)]
        if kind:
            domain += [("kind", "=", kind)]
        return self.env["kam.account.history"].search(domain, order="id")
