/** @odoo-module */

import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/core/utils/numbers";
import { useService } from "@web/core/utils/hooks";
import { ControlPanel } from "@web/search/control_panel/control_panel";

/**
 * The directors' cockpit: heat map of the key accounts, accounts at risk, the pyramid
 * of time spent against the 10/30/60 guideline and cadence compliance per rep. The
 * figures come from kam.cockpit.get_cockpit_data with the domain behind each of them:
 * every number opens the matching list.
 */
export class KamCockpit extends Component {
    static template = "kam_management.KamCockpit";
    static components = { ControlPanel };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.controlPanelDisplay = {};
        this.tierLabels = { a: "A", b: "B", c: "C", d: "D", all: _t("All") };
        this.state = useState({
            periodDays: 90,
            teamId: false,
            managerId: false,
            companyIds: [],
            keyOnly: true,
            data: null,
            loading: true,
        });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        this.state.data = await this.orm.call("kam.cockpit", "get_cockpit_data", [], {
            period_days: this.state.periodDays,
            team_id: this.state.teamId,
            key_only: this.state.keyOnly,
            manager_id: this.state.managerId,
            company_ids: this.state.companyIds,
        });
        this.state.loading = false;
    }

    async onPeriodChange(ev) {
        this.state.periodDays = parseInt(ev.target.value, 10);
        await this.load();
    }

    async onTeamChange(ev) {
        this.state.teamId = parseInt(ev.target.value, 10) || false;
        await this.load();
    }

    async onManagerChange(ev) {
        this.state.managerId = parseInt(ev.target.value, 10) || false;
        await this.load();
    }

    async onCompanyChange(ev) {
        const companyId = parseInt(ev.target.value, 10);
        this.state.companyIds = companyId ? [companyId] : [];
        await this.load();
    }

    async onKeyOnlyChange(ev) {
        this.state.keyOnly = ev.target.checked;
        await this.load();
    }

    // -- formatting
    periodLabel(days) {
        return _t("Last %s days", days);
    }

    /**
     * A figure with at most one decimal in the user's language (decimal point and
     * thousands separator of their Odoo language: "87,5" in Russian).
     */
    number(value) {
        return formatFloat(value, { digits: [false, 1], trailingZeros: false });
    }

    percent(value) {
        return value === null || value === undefined ? "–" : `${this.number(value)}%`;
    }

    trend(value) {
        if (value === null || value === undefined) {
            return "";
        }
        return value > 0
            ? `▲ ${this.number(value)}`
            : value < 0
              ? `▼ ${this.number(-value)}`
              : "＝ 0";
    }

    trendClass(value) {
        if (!value) {
            return "text-muted";
        }
        return value > 0 ? "text-success" : "text-danger";
    }

    rateClass(value) {
        if (value === null || value === undefined) {
            return "text-muted";
        }
        return value >= 90 ? "text-success" : value >= 70 ? "text-warning" : "text-danger";
    }

    /**
     * The parts of a translated sentence whose ``%(name)s`` placeholders are figures:
     * each figure a link that opens the records behind it, the rest plain text. The
     * sentence is translated whole, so that each language puts its words and its
     * punctuation where they belong (no stray space before a comma).
     */
    sentenceParts(sentence, figures) {
        const text = String(sentence);
        const parts = [];
        let last = 0;
        for (const match of text.matchAll(/%\((\w+)\)s/g)) {
            if (match.index > last) {
                parts.push({ text: text.slice(last, match.index) });
            }
            const figure = figures[match[1]] || { value: "" };
            parts.push({
                text: String(figure.value),
                open: figure.open,
                className: figure.className || "",
            });
            last = match.index + match[0].length;
        }
        if (last < text.length) {
            parts.push({ text: text.slice(last) });
        }
        return parts;
    }

    heatMapTotals() {
        const heatMap = this.state.data.heat_map;
        return this.sentenceParts(_t("%(accounts)s accounts, %(overdue)s overdue"), {
            accounts: {
                value: heatMap.total,
                open: () => this.openAccounts(heatMap.domain),
            },
            overdue: {
                value: heatMap.overdue,
                className: "text-danger",
                open: () => this.openAccounts(heatMap.overdue_domain),
            },
        });
    }

    complianceTotals() {
        const compliance = this.state.data.compliance;
        return this.sentenceParts(_t("%(breaches)s breaches · %(overdue)s overdue now"), {
            breaches: {
                value: compliance.breaches,
                className: "text-danger",
                open: () => this.openHistory(compliance.breach_domain),
            },
            overdue: {
                value: compliance.overdue_now,
                open: () => this.openAccounts(compliance.overdue_domain),
            },
        });
    }

    cell(tier, temperature) {
        return this.state.data.heat_map.cells.find(
            (c) => c.tier === tier && c.temperature === temperature
        );
    }

    temperatureClass(temperature) {
        return `o_kam_temp_${temperature}`;
    }

    // -- drill-down
    openAccounts(domain, name) {
        const viewId = this.state.data.partner_list_view_id || false;
        this.action.doAction({
            type: "ir.actions.act_window",
            name: name || _t("Key Accounts"),
            res_model: "res.partner",
            domain,
            views: [
                [viewId, "list"],
                [false, "form"],
            ],
            context: { create: false },
        });
    }

    openHistory(domain, name) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: name || _t("Cadence Breaches"),
            res_model: "kam.account.history",
            domain,
            views: [
                [false, "list"],
                [false, "form"],
            ],
        });
    }

    /** Open the records behind a figure of a panel (an act_window on its domain). */
    openLink(link) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: link.name,
            res_model: link.model,
            domain: link.domain,
            views: [
                [link.model === "res.partner" ? this.state.data.partner_list_view_id : false, "list"],
                [false, "form"],
            ],
            context: link.context || {},
        });
    }

    // -- export
    /** The rows of a panel as a CSV file (UTF-8 with a byte order mark, so that
     * spreadsheets read its accents and Chinese): one block per table. */
    panelCsv(panel) {
        const quote = (value) => {
            const text = value === null || value === undefined ? "" : String(value);
            return /[",\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
        };
        const lines = [[panel.title, ...panel.columns].map(quote).join(",")];
        for (const table of panel.tables) {
            if (table.title) {
                lines.push(quote(table.title));
            }
            for (const row of table.rows) {
                const cells = row.cells.map((cell) =>
                    typeof cell.value === "number" ? cell.value : cell.display
                );
                lines.push([row.label, ...cells].map(quote).join(","));
            }
        }
        return "\ufeff" + lines.join("\r\n") + "\r\n";
    }

    exportPanel(panel) {
        const blob = new Blob([this.panelCsv(panel)], { type: "text/csv;charset=utf-8" });
        const url = URL.createObjectURL(blob);
        const link = document.createElement("a");
        link.href = url;
        link.download = `kam_cockpit_${panel.code}_${this.state.data.period.end}.csv`;
        document.body.appendChild(link);
        link.click();
        link.remove();
        URL.revokeObjectURL(url);
    }

    /** The one-page PDF of the cockpit for the sales meeting, with the filters on
     * screen. */
    printCockpit() {
        this.action.doAction({
            type: "ir.actions.report",
            report_type: "qweb-pdf",
            report_name: "kam_management.report_kam_cockpit",
            report_file: "kam_management.report_kam_cockpit",
            data: {
                period_days: this.state.periodDays,
                team_id: this.state.teamId,
                key_only: this.state.keyOnly,
                manager_id: this.state.managerId,
                company_ids: this.state.companyIds,
            },
        });
    }

    /** The daily compliance snapshots behind a rate of the compliance table. */
    openSnapshots(rep, tier) {
        const domain = [
            ["date", ">=", this.state.data.period.start],
            ["date", "<=", this.state.data.period.end],
            ["manager_id", "=", rep.manager_id],
        ];
        if (rep.team_id) {
            domain.push(["team_id", "=", rep.team_id]);
        }
        if (tier !== "all") {
            domain.push(["tier", "=", tier]);
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("Cadence compliance"),
            res_model: "kam.cadence.snapshot",
            domain,
            views: [
                [false, "list"],
                [false, "form"],
            ],
            context: { create: false },
        });
    }

    openAccount(partnerId) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: partnerId,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("kam_cockpit", KamCockpit);
