# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issued tokens: API sessions (``POST /auth/login``) and OAuth access
tokens (``POST /oauth/token``).

The sidecar writes these rows with plain SQL (an operational table: one row
per login or token, docs/data-model.md) and looks each one up on every
request by its unique prefix, so a revocation here stops the very next
request. Only the SHA-256 digest of a token is stored.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

TOKEN_KINDS = [("session", "Session"), ("oauth", "OAuth Access Token")]
TOKEN_STATES = [("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")]
TOKEN_PREFIXES = {"session": "rgwst", "oauth": "rgwat"}
# expired or revoked rows are kept this long for the audit trail, then vacuumed
RETENTION_DAYS = 30


class RestGatewayToken(models.Model):
    _name = "rest.gateway.token"
    _description = "REST Gateway Issued Token"
    _order = "id desc"
    _rec_name = "prefix"

    kind = fields.Selection(TOKEN_KINDS, required=True, readonly=True)
    prefix = fields.Char(size=12, required=True, readonly=True, index=True, help="Visible part of the token, used to look it up.")
    prefix_display = fields.Char(string="Token", compute="_compute_prefix_display")
    digest = fields.Char(size=64, required=True, readonly=True, groups="rest_gateway.group_manager")
    user_id = fields.Many2one("res.users", string="User", required=True, readonly=True, index=True, ondelete="cascade")
    client_id = fields.Many2one(
        "rest.gateway.oauth.client", string="OAuth Client", readonly=True, index="btree_not_null", ondelete="cascade"
    )
    scope = fields.Char(readonly=True, help="Scopes granted to an OAuth token, space separated (RFC 6749 §3.3).")
    expires_at = fields.Datetime(string="Expires On", required=True, readonly=True)
    revoked_at = fields.Datetime(string="Revoked On", readonly=True)
    last_used_at = fields.Datetime(string="Last Used", readonly=True)
    use_count = fields.Integer(readonly=True)
    client_address = fields.Char(string="Issued To Address", readonly=True)
    user_agent = fields.Char(readonly=True)
    state = fields.Selection(TOKEN_STATES, compute="_compute_state", search="_search_state")

    _prefix_unique = models.Constraint("UNIQUE (prefix)", "Token prefixes must be unique.")
    _client_iff_oauth = models.Constraint(
        "CHECK ((kind = 'oauth') = (client_id IS NOT NULL))",
        "OAuth tokens, and only they, belong to a client.",
    )

    @api.depends("kind", "prefix")
    def _compute_prefix_display(self):
        for token in self:
            token.prefix_display = f"{TOKEN_PREFIXES.get(token.kind, 'rgw')}_{token.prefix}_…"

    @api.depends("expires_at", "revoked_at")
    def _compute_state(self):
        now = fields.Datetime.now()
        for token in self:
            if token.revoked_at:
                token.state = "revoked"
            elif token.expires_at <= now:
                token.state = "expired"
            else:
                token.state = "active"

    def _search_state(self, operator, value):
        if operator != "in":
            return NotImplemented
        now = fields.Datetime.now()
        domains = {
            "revoked": [("revoked_at", "!=", False)],
            "expired": [("revoked_at", "=", False), ("expires_at", "<=", now)],
            "active": [("revoked_at", "=", False), ("expires_at", ">", now)],
        }
        return Domain.OR(Domain(domains[state]) for state in value if state in domains)

    def action_revoke(self):
        """Revoke the tokens: the next request made with one of them is refused."""
        self.check_access("read")
        # users may revoke their own sessions, which they can only read
        self.sudo().filtered(lambda t: not t.revoked_at).write({"revoked_at": fields.Datetime.now()})
        return True

    @api.autovacuum
    def _gc_tokens(self):
        """Delete tokens expired or revoked more than RETENTION_DAYS ago."""
        limit = fields.Datetime.now() - timedelta(days=RETENTION_DAYS)
        self.sudo().search(["|", ("expires_at", "<", limit), ("revoked_at", "<", limit)]).unlink()

    # ------------------------------------------------------------------
    # API (called through the bridge as the acting user)
    # ------------------------------------------------------------------

    def _get_api_values(self):
        self.ensure_one()
        client = self.client_id
        return {
            "id": self.id,
            "kind": self.kind,
            "prefix": self.prefix,
            "state": self.state,
            "user": {"id": self.user_id.id, "login": self.user_id.login},
            "client": {"id": client.id, "client_id": client.client_id, "name": client.name} if client else None,
            "scope": self.scope.split() if self.scope else [],
            "expires_at": self.expires_at,
            "revoked_at": self.revoked_at,
            "last_used_at": self.last_used_at,
            "use_count": self.use_count,
            "client_address": self.client_address or None,
            "created_at": self.create_date,
        }

    @api.model
    def rest_gateway_api_search(self, filters=None, offset=0, limit=50):
        filters = filters or {}
        domain = []
        for key in ("kind", "user_id", "client_id"):
            if filters.get(key):
                domain.append((key, "=", filters[key]))
        if filters.get("state"):
            domain.append(("state", "in", [filters["state"]]))
        records = self.search(domain, offset=offset, limit=limit, order="id desc")
        return {"records": [token._get_api_values() for token in records], "total": self.search_count(domain)}

    def rest_gateway_api_read(self):
        return [token._get_api_values() for token in self]

    def rest_gateway_api_revoke(self):
        self.action_revoke()
        return self.rest_gateway_api_read()
