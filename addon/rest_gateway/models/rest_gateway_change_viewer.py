# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Which records the change feed has served to which caller.

The sidecar writes a row the first time its change feed answers a record
as changed to a caller (an API key, an OAuth client, a user), and reports a
deletion, or a record leaving the caller's scope, only to callers that have
such a row or that see every record of the model: a tombstone must not name
an id the caller could never see (docs/decisions.md D-S50). Rows go when
the retention purge removes the record's deletion from the feed, and when
the key or OAuth client they name is deleted.
"""

from odoo import api, fields, models
from odoo.tools import SQL


class RestGatewayChangeViewer(models.Model):
    _name = "rest.gateway.change.viewer"
    _description = "REST Gateway Change Feed Record Served"
    # Created by init(): the sidecar inserts rows without first_served_at,
    # which takes the column's database default (now()), and with ON
    # CONFLICT on the (viewer, model, res_id) key.
    _auto = False
    _log_access = False

    viewer = fields.Char(
        required=True, readonly=True,
        help="The caller: key:<id>, oauth:<client id> or user:<id> (sessions and Basic with a password).",
    )
    model = fields.Char(required=True, readonly=True)
    res_id = fields.Many2oneReference(string="Record ID", model_field="model", required=True, readonly=True)
    first_served_at = fields.Datetime(required=True, readonly=True)

    def init(self):
        self.env.cr.execute(SQL("""
            CREATE TABLE IF NOT EXISTS rest_gateway_change_viewer (
                id bigserial PRIMARY KEY,
                viewer varchar NOT NULL,
                model varchar NOT NULL,
                res_id integer NOT NULL,
                first_served_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
                UNIQUE (viewer, model, res_id)
            );
            COMMENT ON TABLE rest_gateway_change_viewer IS 'REST Gateway Change Feed Record Served';
            -- the purge forgets a deleted record for every viewer
            CREATE INDEX IF NOT EXISTS rest_gateway_change_viewer_model_res_id_index
                ON rest_gateway_change_viewer (model, res_id);
        """))

    @api.model
    def _forget_viewers(self, viewers):
        """Drop every row of ``viewers`` (a deleted credential's names)."""
        if viewers:
            self.env.cr.execute(SQL(
                "DELETE FROM rest_gateway_change_viewer WHERE viewer IN %s", tuple(viewers)))
