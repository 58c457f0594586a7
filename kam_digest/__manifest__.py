{
    "name": "KAM Digest KPIs",
    "summary": "Key account KPIs in Odoo's periodic digest e-mail: overdue key "
    "accounts, cadence compliance, accounts at risk, plan gap, weighted KAM pipeline",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/kam-odoo/kam",
    "author": "KAM for Odoo",
    "maintainers": ["kam-odoo"],
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["kam_management", "digest"],
    "data": [
        "security/ir.model.access.csv",
        "views/digest_views.xml",
        "data/digest_data.xml",
    ],
}
