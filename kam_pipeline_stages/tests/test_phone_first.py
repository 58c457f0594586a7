from lxml import etree

from odoo.tests import Form, tagged

from ..hooks import TRANSLATION_SENTINEL, load_missing_data_translations
from .common import KamPipelineCase


@tagged("post_install", "-at_install", "kam")
class TestPhoneFirstViews(KamPipelineCase):
    """The deal's checklist and qualification on a phone, and the labels the users
    see in filters and exports."""

    def _form_arch(self, user=None):
        Lead = self.env["crm.lead"].with_user(user or self.rep)
        return etree.fromstring(
            Lead.get_views([(False, "form")])["views"]["form"]["arch"]
        )

    def test_checklists_have_phone_cards(self):
        arch = self._form_arch()
        for name in ("kam_criterion_line_ids", "kam_question_line_ids"):
            field = arch.xpath(f"//field[@name='{name}']")[0]
            # Odoo shows the kanban of an x2many on a small screen, the list elsewhere.
            kanban = field.xpath("./kanban[contains(@class, 'o_kanban_mobile')]")
            self.assertTrue(kanban, name)
            self.assertTrue(kanban[0].xpath(".//t[@t-name='card']"), name)
            self.assertTrue(kanban[0].xpath(".//*[contains(@class, 'text-wrap')]"))
            # The item's text wraps in the list too.
            column = field.xpath("./list/field[@name='name']")[0]
            self.assertIn("text-wrap", column.get("class", ""))
        criteria = arch.xpath("//field[@name='kam_criterion_line_ids']/kanban")[0]
        tick = criteria.xpath(".//field[@name='is_done']")
        self.assertEqual(tick[0].get("widget"), "boolean_toggle")

    def test_qualification_one_tap_on_a_phone(self):
        arch = self._form_arch()
        buttons = arch.xpath(
            "//sheet//button[@name='action_kam_open_qualification']"
            "[not(ancestor::header)]"
        )
        self.assertTrue(buttons, "the phone's button is in the sheet, not the header")
        self.assertIn("d-md-none", buttons[0].get("class"))
        # The button opens the wizard on the deal.
        lead = self._lead(stage=self.stage_held)
        action = getattr(lead.with_user(self.rep), buttons[0].get("name"))()
        self.assertEqual(action["res_model"], "kam.qualification.wizard")
        self.assertEqual(action["target"], "new")
        form = Form(
            self.env["kam.qualification.wizard"]
            .with_user(self.rep)
            .with_context(**action["context"])
        )
        self.assertEqual(form.lead_id, lead)

    def test_wizard_title_counts_its_questions(self):
        view = self.env.ref("kam_pipeline_stages.kam_qualification_wizard_view_form")
        arch = etree.fromstring(view.arch)
        groups = arch.xpath("//group[field[@name='deal_size']]")
        questions = groups[0].xpath("./field")
        self.assertEqual(len(questions), 5)
        self.assertEqual(groups[0].get("string"), "Five Questions")
        for lang, title in (("ru_RU", "Пять вопросов"), ("zh_CN", "五个问题")):
            self.env["res.lang"]._activate_lang(lang)
            self.env["ir.module.module"]._load_module_terms(
                ["kam_pipeline_stages"], [lang]
            )
            arch = view.with_context(lang=lang).arch
            self.assertIn(title, arch, lang)

    def test_progress_never_breaks_in_the_kanban_card(self):
        view = self.env.ref("kam_pipeline_stages.crm_lead_view_kanban_kam")
        field = etree.fromstring(view.arch).xpath(
            "//field[@name='kam_checklist_progress']"
        )[0]
        self.assertIn("text-nowrap", field.get("class", ""))

    def test_labels_are_words_not_field_names(self):
        models = [
            "kam.lead.checklist.line",
            "kam.stage.checklist.template",
            "kam.stage.history",
            "kam.pipeline.ratio.report",
            "kam.qualification.wizard",
            "crm.lead",
            "crm.stage",
        ]
        for model in models:
            for name, field in self.env[model]._fields.items():
                # This addon's fields (kam_management's own are its business).
                if field._module == "kam_pipeline_stages":
                    self.assertFalse(field.string.startswith("Kam "), f"{model}.{name}")
        line = self.env["kam.lead.checklist.line"]._fields
        self.assertEqual(line["is_complete"].string, "Complete")
        self.assertEqual(line["done_date"].string, "Done On")
        history = self.env["kam.stage.history"]._fields
        self.assertEqual(history["date"].string, "Entered On")


@tagged("post_install", "-at_install", "kam")
class TestDataTranslations(KamPipelineCase):
    """The stages and checklist items are noupdate data: their names get the
    catalogue of a language loaded before the registry knew their models."""

    def test_missing_translations_of_the_data_are_loaded(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        stage = self.env.ref(TRANSLATION_SENTINEL)
        item = self.env.ref(
            "kam_pipeline_stages.kam_checklist_first_meeting_criterion_scheduled"
        )
        # What ``--load-language`` leaves: the records in English only.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_stage SET name = name - 'ru_RU' WHERE id = %s", [stage.id]
        )
        self.env.cr.execute(
            "UPDATE kam_stage_checklist_template SET name = name - 'ru_RU'"
            " WHERE id = %s",
            [item.id],
        )
        self.env.invalidate_all()
        self.assertEqual(
            stage.with_context(lang="ru_RU").name, "First Meeting Scheduled"
        )
        self.assertIn("ru_RU", load_missing_data_translations(self.env))
        self.env.invalidate_all()
        self.assertEqual(
            stage.with_context(lang="ru_RU").name, "Запланирована первая встреча"
        )
        self.assertTrue(item.with_context(lang="ru_RU").name.startswith("Заплан"))
        # Once loaded, nothing to do (one query).
        self.assertEqual(load_missing_data_translations(self.env), [])
