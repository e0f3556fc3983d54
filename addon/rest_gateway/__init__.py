# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""REST Gateway addon: configuration models, backend views and the bridge.

The install hook creates the per-database bridge secret that the sidecar
reads from the shared database (docs/bridge-protocol.md, "Signature").
"""

from . import controllers, models


def post_init_hook(env):
    """Create ``rest_gateway.bridge_secret`` unless a previous install left one."""
    env["rest.gateway.bridge"]._init_bridge_secret()


def uninstall_hook(env):
    """Drop the change capture function and, with it, every capture trigger;
    and the bridge's nonce table, which no ORM model owns.

    Odoo drops the change table on uninstall; triggers left behind would make
    every write to an exposed model's table fail.
    """
    env.cr.execute("DROP FUNCTION IF EXISTS rest_gateway_capture_change() CASCADE")
    env.cr.execute("DROP TABLE IF EXISTS rest_gateway_bridge_nonce")
