from odoo.tests import tagged

from .common import KamPipelineCase


@tagged("post_install", "-at_install", "kam")
class TestBatchMoveQueries(KamPipelineCase):
    """Moving deals in one write costs a bounded number of queries."""

    def _queries_to_move(self, count):
        leads = self.env["crm.lead"]
        for index in range(count):
            leads |= self._lead(name=f"Batch {count}-{index}")
        self._tick(leads, self.stage_fm)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        leads.write({"stage_id": self.stage_held.id})
        self.env.flush_all()
        self.assertEqual(set(leads.mapped("stage_id")), {self.stage_held})
        return self.env.cr.sql_log_count - before

    def test_query_count_does_not_grow_per_record(self):
        small = self._queries_to_move(10)
        large = self._queries_to_move(60)
        # 16 checklist lines per deal are inserted 100 rows per query: a few more
        # INSERTs, never a query per deal.
        self.assertLessEqual(large - small, 12, (small, large))
        self.assertLess(large / 60, 1.5, (small, large))
