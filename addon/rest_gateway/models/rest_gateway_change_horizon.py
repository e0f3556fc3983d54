# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""How far the retention purge of captured changes has gone.

One row (id 1), updated by the sidecar's purge job in the same transaction
as each chunk it deletes: a change feed cursor whose transaction id is at
or below ``purged_txid`` may have lost changes, so the feed answers 410
(docs/decisions.md, change feed retention).
"""

from odoo import fields, models
from odoo.tools import SQL


class RestGatewayChangeHorizon(models.Model):
    _name = "rest.gateway.change.horizon"
    _description = "REST Gateway Change Purge Horizon"
    # Created by init() so that the purge horizon is a bigint, as txid is.
    _auto = False
    _log_access = False

    purged_txid = fields.Integer(
        string="Purged Up To Transaction", readonly=True,
        help="Highest transaction id whose captured changes were (partly) purged; 0: none yet.",
    )
    purged_at = fields.Datetime(string="Last Purge", readonly=True)
    purged_rows = fields.Integer(string="Rows Purged", readonly=True, help="Total since install.")

    def init(self):
        self.env.cr.execute(SQL("""
            CREATE TABLE IF NOT EXISTS rest_gateway_change_horizon (
                id integer PRIMARY KEY CHECK (id = 1),
                purged_txid bigint NOT NULL DEFAULT 0,
                purged_at timestamp,
                purged_rows bigint NOT NULL DEFAULT 0
            );
            COMMENT ON TABLE rest_gateway_change_horizon IS 'REST Gateway Change Purge Horizon';
            INSERT INTO rest_gateway_change_horizon (id) VALUES (1) ON CONFLICT (id) DO NOTHING;
        """))
