# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Captured changes of exposed models, and the triggers that write them.

A row per created, updated or deleted record of an active exposed model,
written by a PostgreSQL trigger (``sql/change_capture.sql``) in the writing
transaction, whatever wrote it. The sidecar serves them as the change feed
and purges them after the retention; webhooks will deliver from the same
table. Layout and meaning: docs/data-model.md, "rest.gateway.change".
"""

import logging

from odoo import api, fields, models
from odoo.tools import SQL, sql
from odoo.tools.misc import file_open

_logger = logging.getLogger(__name__)

CAPTURE_FUNCTION = "rest_gateway_capture_change"
CAPTURE_SQL = "rest_gateway/sql/change_capture.sql"
TRIGGER_PREFIX = "rgw_capture_"
# Serializes trigger DDL of concurrent workers (any constant unique to us).
SYNC_LOCK_KEY = 0x52475743  # "RGWC"
# Never captured: capturing the change table itself would recurse.
UNCAPTURED_MODELS = frozenset({"rest.gateway.change", "rest.gateway.change.horizon", "rest.gateway.change.viewer"})


def trigger_name(model_name):
    """One trigger per (table, captured model); PostgreSQL names are 63 bytes at most."""
    return (TRIGGER_PREFIX + model_name.replace(".", "_"))[:63]


class RestGatewayChange(models.Model):
    _name = "rest.gateway.change"
    _description = "REST Gateway Captured Change"
    # The table is created by init(): ``id`` and ``txid`` are bigint, which
    # the ORM's Integer columns (int4) cannot hold, and an _auto table would
    # be converted back to int4 on every upgrade.
    _auto = False
    _log_access = False
    _order = "txid, id"

    model = fields.Char(required=True, readonly=True, help="Technical name of the changed record's model.")
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="model", required=True, readonly=True,
    )
    operation = fields.Selection(
        [("create", "Create"), ("update", "Update"), ("delete", "Delete")],
        required=True, readonly=True,
    )
    txid = fields.Integer(
        string="Transaction ID", required=True, readonly=True,
        help="pg_current_xact_id() of the writing transaction (64 bits); orders the feed with id.",
    )
    changed_at = fields.Datetime(required=True, readonly=True, help="Start of the writing transaction (UTC).")
    changed_fields = fields.Json(
        readonly=True, help="Columns whose value changed, for updates; empty for creations and deletions.",
    )

    def init(self):
        """Create the table, its indexes and the trigger function (install and upgrade)."""
        self.env.cr.execute(SQL("""
            CREATE TABLE IF NOT EXISTS rest_gateway_change (
                id bigserial PRIMARY KEY,
                model varchar NOT NULL,
                res_id integer NOT NULL,
                operation varchar NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
                txid bigint NOT NULL,
                changed_at timestamp NOT NULL,
                changed_fields jsonb
            );
            COMMENT ON TABLE rest_gateway_change IS 'REST Gateway Captured Change';
            -- the change feed of one model, in (txid, id) order
            CREATE INDEX IF NOT EXISTS rest_gateway_change_model_txid_id_index
                ON rest_gateway_change (model, txid, id);
            -- the retention purge (and webhook delivery) across models, in the same order
            CREATE INDEX IF NOT EXISTS rest_gateway_change_txid_id_index
                ON rest_gateway_change (txid, id);
        """))
        self._install_capture_function()

    @api.model
    def _install_capture_function(self):
        with file_open(CAPTURE_SQL) as source:
            self.env.cr.execute(source.read())

    def _register_hook(self):
        """Re-check the triggers whenever the registry loads (install, upgrade, start)."""
        super()._register_hook()
        self._sync_capture_triggers()

    # ------------------------------------------------------------------
    # Triggers
    # ------------------------------------------------------------------

    @api.model
    def _get_capture_triggers(self):
        """Return the triggers that should exist, ``{(table, name): (events, args)}``.

        Every active exposed model gets one on its own table, plus one per
        ``_inherits`` parent (an update of the parent row is an update of
        the child record). Models without a regular table (abstract, SQL
        views) are skipped. Override to capture more or fewer models.
        """
        wanted = {}
        exposed = self.env["rest.gateway.model"].sudo().search([])
        for model_name in set(exposed.mapped("model")) - UNCAPTURED_MODELS:
            if model_name not in self.env or not self._has_regular_table(self.env[model_name]):
                continue
            model = self.env[model_name]
            name = trigger_name(model_name)
            wanted[(model._table, name)] = ("INSERT OR UPDATE OR DELETE", (model_name,))
            for parent_name, link in model._inherits.items():
                parent = self.env[parent_name]
                if self._has_regular_table(parent):
                    wanted[(parent._table, name)] = ("UPDATE", (model_name, model._table, link))
        return wanted

    @api.model
    def _has_regular_table(self, model):
        if model._abstract or model._transient or not model._auto or model._table_query:
            return False
        return sql.table_kind(self.env.cr, model._table) == sql.TableKind.Regular

    @api.model
    def _get_existing_capture_triggers(self):
        """The triggers calling the capture function, ``{(table, name): args}``."""
        self.env.cr.execute(SQL(
            """
            SELECT c.relname, t.tgname, encode(t.tgargs, 'escape')
              FROM pg_trigger t
              JOIN pg_class c ON c.oid = t.tgrelid
             WHERE NOT t.tgisinternal AND t.tgfoid = to_regproc(%s)
            """,
            CAPTURE_FUNCTION,
        ))
        # tgargs: NUL-terminated arguments, which 'escape' encoding shows as \000
        return {
            (table, name): tuple(arg for arg in (raw or "").split("\\000") if arg)
            for table, name, raw in self.env.cr.fetchall()
        }

    @api.model
    def _sync_capture_triggers(self):
        """Create the missing capture triggers and drop the stale ones.

        Called when exposed models are created, (de)activated or deleted,
        and at every registry load. DDL runs only when something differs,
        under a transaction-level advisory lock so that workers starting
        together do not race.
        """
        if not sql.table_exists(self.env.cr, "rest_gateway_model"):
            return
        wanted = self._get_capture_triggers()
        if self._capture_trigger_diff(wanted) == ({}, set()):
            return
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", SYNC_LOCK_KEY))
        self.env.cr.execute(SQL("SELECT to_regproc(%s) IS NULL", CAPTURE_FUNCTION))
        if self.env.cr.fetchone()[0]:  # e.g. dropped by hand: triggers need it
            self._install_capture_function()
        missing, stale = self._capture_trigger_diff(wanted)
        for table, name in stale:
            self.env.cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(name), SQL.identifier(table)))
        for (table, name), (events, args) in missing.items():
            self.env.cr.execute(SQL(
                "CREATE TRIGGER %s AFTER %s ON %s FOR EACH ROW EXECUTE FUNCTION %s(%s)",
                SQL.identifier(name), SQL(events), SQL.identifier(table), SQL.identifier(CAPTURE_FUNCTION),
                SQL(", ").join(SQL("%s", arg) for arg in args),
            ))
        if missing or stale:
            _logger.info(
                "REST Gateway change capture: created %s, dropped %s",
                sorted(missing) or "none", sorted(stale) or "none",
            )

    @api.model
    def _capture_trigger_diff(self, wanted):
        """``(missing, stale)``: triggers to create (or re-create) and to drop."""
        existing = self._get_existing_capture_triggers()
        stale = {key for key, args in existing.items() if key not in wanted or wanted[key][1] != args}
        missing = {key: spec for key, spec in wanted.items() if key not in existing or key in stale}
        return missing, stale
