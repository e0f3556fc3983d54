# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Opens the authentication and credential methods to the bridge.

These methods run as the request's user like any other bridge method; the
credential models check access themselves (docs/bridge-protocol.md).
"""

from odoo import api, models

from .rest_gateway_bridge import READ, WRITE


class RestGatewayBridge(models.AbstractModel):
    _inherit = "rest.gateway.bridge"

    @api.model
    def _get_bridge_methods(self):
        return super()._get_bridge_methods() | {
            "rest_gateway_me": READ,
            "rest_gateway_check_manager": READ,
            "rest_gateway_api_search": READ,
            "rest_gateway_api_read": READ,
            "rest_gateway_api_create": WRITE,
            "rest_gateway_api_update": WRITE,
            "rest_gateway_api_regenerate": WRITE,
            "rest_gateway_api_revoke": WRITE,
        }
