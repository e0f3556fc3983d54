# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "REST Gateway",
    "summary": "Configuration, API keys and the signed bridge of the REST Gateway sidecar",
    "version": "19.0.1.0.0",
    "category": "Administration",
    "author": "Odoo REST Gateway contributors",
    "license": "LGPL-3",
    "depends": ["base", "web", "mail"],
    "data": [
        "security/rest_gateway_groups.xml",
        "security/ir.model.access.csv",
        "security/rest_gateway_rules.xml",
        "data/rest_gateway_bridge_data.xml",
        "views/rest_gateway_model_views.xml",
        "views/rest_gateway_key_scope_views.xml",
        "views/rest_gateway_key_views.xml",
        "views/rest_gateway_key_reveal_views.xml",
        "views/rest_gateway_menus.xml",
    ],
    "post_init_hook": "post_init_hook",
    "application": True,
    "installable": True,
}
