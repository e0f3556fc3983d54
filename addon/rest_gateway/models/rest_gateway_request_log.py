# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The request log: one row per API request answered by the sidecar.

The sidecar writes the rows in batches, straight into the table
(sidecar/src/db/request-logs.ts), and purges them after the retention set
in Settings. Odoo declares the table and shows it, read-only, to REST
Gateway managers, who may also clear it. Layout: docs/data-model.md,
"rest.gateway.request.log".

The table is created by ``init()`` rather than by the ORM, without foreign
keys, so that thousands of rows a second are not each checked against three
other tables; deleting a user, key or OAuth client empties its references
here instead (``_forget_references``, docs/decisions.md D-L2).
"""

from odoo import api, fields, models
from odoo.tools import SQL

from ..controllers.bridge_errors import GatewayAccessError

MANAGER_GROUP = "rest_gateway.group_manager"

AUTH_KINDS = [
    ("api_key", "API Key"),
    ("oauth", "OAuth Client"),
    ("session", "Session"),
    ("basic", "Basic"),
]
STATUS_CLASSES = [
    ("1xx", "1xx Informational"),
    ("2xx", "2xx Success"),
    ("3xx", "3xx Redirection"),
    ("4xx", "4xx Client Error"),
    ("5xx", "5xx Server Error"),
]


class RestGatewayRequestLog(models.Model):
    _name = "rest.gateway.request.log"
    _description = "REST Gateway Request Log"
    _order = "logged_at desc, id desc"
    _rec_name = "request_id"
    # written by the sidecar at a high rate: no create/write bookkeeping;
    # the table is made by init(), without foreign keys
    _auto = False
    _log_access = False

    logged_at = fields.Datetime(string="Time", readonly=True, index=True, help="When the request arrived (UTC).")
    request_id = fields.Char(string="Request ID", readonly=True, index=True, help="The X-Request-ID header.")
    method = fields.Char(readonly=True)
    path = fields.Char(readonly=True, help="Path and query string as received, secrets redacted.")
    endpoint = fields.Char(readonly=True, help="The matched route, e.g. GET /api/v1/:model/:id.")
    operation = fields.Char(readonly=True, help="The route's operation id, e.g. listRecords.")
    model = fields.Char(readonly=True, help="The Odoo model the request addressed.")
    auth_kind = fields.Selection(AUTH_KINDS, string="Authentication", readonly=True)
    # no foreign keys: a deleted user, key or client leaves its id in the log
    user_id = fields.Many2one("res.users", string="User", readonly=True)
    key_id = fields.Many2one("rest.gateway.key", string="API Key", readonly=True)
    client_id = fields.Many2one("rest.gateway.oauth.client", string="OAuth Client", readonly=True)
    client_address = fields.Char(readonly=True, help="The client's address, after trusted proxies.")
    origin = fields.Char(readonly=True)
    user_agent = fields.Char(readonly=True)
    status = fields.Integer(readonly=True, aggregator=False)
    status_class = fields.Selection(STATUS_CLASSES, readonly=True)
    duration_ms = fields.Float(string="Duration (ms)", readonly=True, aggregator="avg")
    odoo_ms = fields.Float(string="Time in Odoo (ms)", readonly=True, aggregator="avg")
    error_code = fields.Char(readonly=True)
    error_message = fields.Text(readonly=True)
    request_size = fields.Integer(string="Request Size (bytes)", readonly=True)
    response_size = fields.Integer(string="Response Size (bytes)", readonly=True)
    request_summary = fields.Text(readonly=True, help="The request body as JSON, secrets redacted, capped.")
    response_summary = fields.Text(readonly=True, help="The response body as JSON, secrets redacted, capped.")

    def init(self):
        """Create the table and its indexes (install and upgrade).

        A database made by an earlier build of the addon has the table with
        the ORM's foreign keys: they are dropped.
        """
        self.env.cr.execute(SQL("""
            CREATE TABLE IF NOT EXISTS rest_gateway_request_log (
                id serial PRIMARY KEY,
                logged_at timestamp,
                request_id varchar,
                method varchar,
                path varchar,
                endpoint varchar,
                operation varchar,
                model varchar,
                auth_kind varchar,
                user_id integer,
                key_id integer,
                client_id integer,
                client_address varchar,
                origin varchar,
                user_agent varchar,
                status integer,
                status_class varchar,
                duration_ms double precision,
                odoo_ms double precision,
                error_code varchar,
                error_message text,
                request_size integer,
                response_size integer,
                request_summary text,
                response_summary text
            );
            COMMENT ON TABLE rest_gateway_request_log IS 'REST Gateway Request Log';
            ALTER TABLE rest_gateway_request_log
                DROP CONSTRAINT IF EXISTS rest_gateway_request_log_user_id_fkey,
                DROP CONSTRAINT IF EXISTS rest_gateway_request_log_key_id_fkey,
                DROP CONSTRAINT IF EXISTS rest_gateway_request_log_client_id_fkey;
            CREATE INDEX IF NOT EXISTS rest_gateway_request_log__logged_at_index
                ON rest_gateway_request_log (logged_at);
            CREATE INDEX IF NOT EXISTS rest_gateway_request_log__request_id_index
                ON rest_gateway_request_log (request_id);
            CREATE INDEX IF NOT EXISTS rest_gateway_request_log_key_logged_at_idx
                ON rest_gateway_request_log (key_id, logged_at);
            CREATE INDEX IF NOT EXISTS rest_gateway_request_log_client_logged_at_idx
                ON rest_gateway_request_log (client_id, logged_at);
            CREATE INDEX IF NOT EXISTS rest_gateway_request_log_user_logged_at_idx
                ON rest_gateway_request_log (user_id, logged_at);
            CREATE INDEX IF NOT EXISTS rest_gateway_request_log_status_logged_at_idx
                ON rest_gateway_request_log (status, logged_at);
            CREATE INDEX IF NOT EXISTS rest_gateway_request_log_model_logged_at_idx
                ON rest_gateway_request_log (model, logged_at);
        """))

    @api.model
    def _forget_references(self, field_name, ids):
        """Empty ``field_name`` where it points to ``ids``, which are being deleted.

        The table has no foreign keys; this is their ``ON DELETE SET NULL``,
        run by the unlink of users, keys and OAuth clients, so that the
        backend never meets a reference to a deleted record.
        """
        if ids:
            self.env.cr.execute(SQL(
                "UPDATE %s SET %s = NULL WHERE %s = ANY(%s)",
                SQL.identifier(self._table), SQL.identifier(field_name), SQL.identifier(field_name), list(ids),
            ))
            self.invalidate_model([field_name])

    @api.depends("method", "path")
    def _compute_display_name(self):
        for entry in self:
            entry.display_name = f"{entry.method or ''} {entry.path or ''}".strip() or entry.request_id

    @api.model
    def rest_gateway_clear_request_logs(self):
        """Delete every log row (managers only) and return how many were deleted.

        Called by the backend's "Clear All Logs" button and by the admin
        API's ``DELETE /api/v1/admin/request-logs``. A plain ``DELETE``
        rather than ``TRUNCATE``: it takes no table lock, so the sidecar's
        inserts go on meanwhile. The hourly statistics are kept.
        """
        if not self.env.user.has_group(MANAGER_GROUP):
            raise GatewayAccessError(self.env._("Only REST Gateway managers may clear the request logs."))
        self.env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(self._table)))
        deleted = self.env.cr.rowcount
        self.invalidate_model()
        return deleted

    def action_clear_all_logs(self):
        """The list view's button: clear, say how many rows went, and reload the list.

        Not ``@api.model``: a list header button is called on the selected
        records (none with ``display="always"``); every row is cleared anyway.
        """
        deleted = self.rest_gateway_clear_request_logs()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s request log entries removed.", count=deleted),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
