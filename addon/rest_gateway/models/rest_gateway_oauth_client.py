# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""OAuth 2.0 clients for the client credentials grant (RFC 6749 §4.4).

A client authenticates with its public ``client_id`` and a secret
``rgwcs_<prefix>_<secret>``, of which only the prefix and the SHA-256
digest are stored (docs/data-model.md). The sidecar issues access tokens
(``rest.gateway.token``) that act as the client's user within its scopes.
"""

import secrets
import string

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .rest_gateway_credential_mixin import SECRET_PREFIX_LENGTH
from .rest_gateway_key import KEY_SECRET_BYTES, RestGatewayKey, key_digest
from .rest_gateway_key_reveal import reveal_action

CLIENT_ID_LENGTH = 20
MIN_TOKEN_LIFETIME = 60
MAX_TOKEN_LIFETIME = 86400

CLIENT_STATES = [
    ("no_secret", "No Secret Yet"),
    ("active", "Active"),
    ("expired", "Expired"),
    ("archived", "Archived"),
    ("revoked", "Revoked"),
]


def _new_client_id():
    return "rgwc_" + "".join(secrets.choice(string.ascii_lowercase + string.digits) for _i in range(CLIENT_ID_LENGTH))


class RestGatewayOAuthClient(models.Model):
    _name = "rest.gateway.oauth.client"
    _description = "REST Gateway OAuth Client"
    _inherit = [
        "rest.gateway.config.notify",
        "rest.gateway.credential.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "name, id"

    name = fields.Char(required=True, tracking=True, help="The application this client is.")
    client_id = fields.Char(
        string="Client ID",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: _new_client_id(),
        help="Public identifier the client sends with its secret (RFC 6749 §2.2).",
    )
    secret_prefix = fields.Char(size=SECRET_PREFIX_LENGTH, readonly=True, copy=False, tracking=True)
    secret_display = fields.Char(string="Secret", compute="_compute_secret_display")
    secret_digest = fields.Char(
        size=64,
        readonly=True,
        copy=False,
        groups="rest_gateway.group_manager",
        help="Lowercase hex SHA-256 of the whole secret. The secret itself is never stored.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Run As",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user,
        tracking=True,
        help="Every token of this client acts as this user, with their access rights and record rules.",
    )
    active = fields.Boolean(default=True, tracking=True)
    state = fields.Selection(CLIENT_STATES, compute="_compute_state", search="_search_state")
    expires_at = fields.Datetime(string="Expires On", tracking=True, help="The client stops working at this moment (UTC).")
    token_lifetime = fields.Integer(
        string="Token Lifetime (s)",
        default=3600,
        tracking=True,
        help="Seconds an access token stays valid (60 to 86400).",
    )
    rate_limit = fields.Integer(default=0, tracking=True, help="Requests per minute. 0 uses the gateway's global default.")
    allowed_ips = fields.Text(string="Allowed IPs", tracking=True, help="IPs or CIDR networks; empty: any.")
    allowed_origins = fields.Text(string="Allowed Origins", tracking=True, help="Browser origins; empty: any.")
    notes = fields.Text()
    last_used_at = fields.Datetime(string="Last Used", readonly=True, copy=False)
    scope_ids = fields.One2many("rest.gateway.key.scope", "client_id", string="Scopes", copy=True)
    token_ids = fields.One2many("rest.gateway.token", "client_id", string="Tokens")
    token_count = fields.Integer(compute="_compute_token_count")

    _client_id_unique = models.Constraint("UNIQUE (client_id)", "Client IDs must be unique.")
    _secret_prefix_unique = models.Constraint("UNIQUE (secret_prefix)", "Secret prefixes must be unique.")
    _token_lifetime_range = models.Constraint(
        f"CHECK (token_lifetime BETWEEN {MIN_TOKEN_LIFETIME} AND {MAX_TOKEN_LIFETIME})",
        "The token lifetime must be between 60 and 86400 seconds.",
    )
    _rate_limit_positive = models.Constraint("CHECK (rate_limit >= 0)", "The rate limit cannot be negative.")
    _secret_prefix_field = "secret_prefix"
    _no_secret_state = "no_secret"
    _request_log_field = "client_id"
    _change_viewer_prefix = "oauth"

    # the same rules as API keys
    _check_user_id = RestGatewayKey._check_user_id
    _check_allowed_ips = RestGatewayKey._check_allowed_ips
    _check_allowed_origins = RestGatewayKey._check_allowed_origins
    _check_rate_limit = RestGatewayKey._check_rate_limit
    _check_expires_at = RestGatewayKey._check_expires_at

    @api.depends("secret_prefix")
    def _compute_secret_display(self):
        for client in self:
            client.secret_display = f"rgwcs_{client.secret_prefix}_…" if client.secret_prefix else False

    @api.depends("active", "secret_prefix", "expires_at", "revoked_at")
    def _compute_state(self):
        now = fields.Datetime.now()
        for client in self:
            client.state = client._get_credential_state(now)

    def _compute_token_count(self):
        counts = dict(self.env["rest.gateway.token"]._read_group(
            [("client_id", "in", self.ids)], ["client_id"], ["__count"]
        ))
        for client in self:
            client.token_count = counts.get(client, 0)

    @api.constrains("token_lifetime")
    def _check_token_lifetime(self):
        for client in self:
            if not MIN_TOKEN_LIFETIME <= client.token_lifetime <= MAX_TOKEN_LIFETIME:
                raise ValidationError(_("The token lifetime must be between 60 and 86400 seconds."))

    # ------------------------------------------------------------------
    # Secret
    # ------------------------------------------------------------------

    def action_generate_secret(self):
        """Generate (or replace) the client secret and show it once."""
        self.ensure_one()
        view = self.env.ref("rest_gateway.rest_gateway_client_secret_reveal_view_form").id
        return reveal_action(_("Client Secret Ready"), self._generate_secret(), view=view)

    def _generate_secret(self):
        """Store a new prefix and digest; return the plaintext (never stored)."""
        self.ensure_one()
        self.check_access("write")
        if self.revoked_at:
            raise UserError(_("A revoked client never works again; create a new client."))
        prefix = self._generate_prefix()
        plaintext = f"rgwcs_{prefix}_{secrets.token_urlsafe(KEY_SECRET_BYTES)}"
        self.sudo().write({"secret_prefix": prefix, "secret_digest": key_digest(plaintext)})
        self.message_post(body=_("A new client secret was generated, prefix %(prefix)s.", prefix=prefix))
        return plaintext

    def _prepare_revoke_values(self):
        return {**super()._prepare_revoke_values(), "secret_digest": False}

    def action_revoke(self):
        """Revoke the client and every token it was issued."""
        result = super().action_revoke()
        self.sudo().token_ids.filtered(lambda t: not t.revoked_at).write({"revoked_at": fields.Datetime.now()})
        return result

    def action_view_tokens(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rest_gateway.rest_gateway_token_action")
        action["domain"] = [("client_id", "=", self.id)]
        action["context"] = {"search_default_state_active": 1}
        return action

    # ------------------------------------------------------------------
    # API (called through the bridge as the acting user)
    # ------------------------------------------------------------------

    @api.model
    def _get_api_extra_fields(self):
        return ("token_lifetime",)

    def _generate_plaintext(self):
        return self._generate_secret()

    def _get_api_values(self):
        return {
            **super()._get_api_values(),
            "client_id": self.client_id,
            "secret_prefix": self.secret_prefix or None,
            "token_lifetime": self.token_lifetime,
        }
