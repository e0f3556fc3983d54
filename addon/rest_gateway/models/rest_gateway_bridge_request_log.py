# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Opens the request log's clear method to the bridge (the admin API).

It runs as the request's user like any other bridge method and checks the
manager group itself (docs/bridge-protocol.md).
"""

from odoo import api, models

from .rest_gateway_bridge import WRITE


class RestGatewayBridge(models.AbstractModel):
    _inherit = "rest.gateway.bridge"

    @api.model
    def _get_bridge_methods(self):
        return super()._get_bridge_methods() | {"rest_gateway_clear_request_logs": WRITE}
