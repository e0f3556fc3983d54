# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""API keys: who a request runs as and what it may reach.

A key's plaintext is ``rgw_<prefix>_<secret>``; only the prefix (for the
lookup) and the SHA-256 digest are stored (docs/data-model.md). The
plaintext is shown once through ``rest.gateway.key.reveal``, the way Odoo
shows its own API keys (``res.users.apikeys.show``).
"""

import hashlib
import ipaddress
import re
import secrets
from urllib.parse import urlsplit

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..controllers.bridge_errors import GatewayAccessError

from .rest_gateway_credential_mixin import SECRET_PREFIX_LENGTH, split_list
from .rest_gateway_key_reveal import reveal_action

KEY_PREFIX_LENGTH = SECRET_PREFIX_LENGTH
KEY_SECRET_BYTES = 32  # token_urlsafe(32) -> 43 characters, no padding
ORIGIN_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*$")
# the limits of a key, which only REST Gateway Managers set
MANAGER_FIELDS = ("rate_limit", "allow_webhooks")

KEY_STATES = [
    ("no_key", "No Key Yet"),
    ("active", "Active"),
    ("expired", "Expired"),
    ("archived", "Archived"),
    ("revoked", "Revoked"),
]


def key_digest(plaintext):
    """Lowercase hex SHA-256 of a whole plaintext key, as stored in ``digest``."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


def _is_valid_origin(origin):
    try:
        parts = urlsplit(origin)
        parts.port  # noqa: B018 - raises ValueError when out of range or not numeric
    except ValueError:
        return False
    return bool(
        ORIGIN_SCHEME_RE.match(parts.scheme)
        and parts.hostname
        and not parts.username
        and not parts.password
        and parts.path == ""
        and not parts.query
        and not parts.fragment
        and origin == f"{parts.scheme}://{parts.netloc}"
    )


class RestGatewayKey(models.Model):
    _name = "rest.gateway.key"
    _description = "REST Gateway API Key"
    _inherit = [
        "rest.gateway.config.notify",
        "rest.gateway.credential.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "name, id"

    name = fields.Char(required=True, tracking=True, help="What the key is for, e.g. the client application.")
    user_id = fields.Many2one(
        "res.users",
        string="Run As",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user,
        tracking=True,
        help="Every request made with this key runs as this user, with their access rights and record rules.",
    )
    prefix = fields.Char(
        size=KEY_PREFIX_LENGTH,
        readonly=True,
        copy=False,
        tracking=True,
        help="Visible part of the key, used to look it up: rgw_<prefix>_…",
    )
    prefix_display = fields.Char(string="Key", compute="_compute_prefix_display")
    digest = fields.Char(
        size=64,
        readonly=True,
        copy=False,
        groups="rest_gateway.group_manager",
        help="Lowercase hex SHA-256 of the whole key. The key itself is never stored.",
    )
    active = fields.Boolean(default=True, tracking=True)
    state = fields.Selection(
        KEY_STATES,
        compute="_compute_state",
        search="_search_state",
        help="Whether the key can be used right now.",
    )
    expires_at = fields.Datetime(
        string="Expires On",
        tracking=True,
        help="The key stops working at this moment (UTC). Empty: never.",
    )
    rate_limit = fields.Integer(
        string="Rate Limit",
        default=0,
        copy=False,
        tracking=True,
        help="Requests per minute. 0 uses the gateway's global default. Set by REST Gateway Managers.",
    )
    allowed_ips = fields.Text(
        string="Allowed IPs",
        tracking=True,
        help="IP addresses or networks in CIDR notation, one per line or comma separated. Empty: any.",
    )
    allowed_origins = fields.Text(
        string="Allowed Origins",
        tracking=True,
        help="Browser origins such as https://app.example.com, one per line or comma separated. Empty: any.",
    )
    notes = fields.Text()
    last_used_at = fields.Datetime(
        string="Last Used",
        readonly=True,
        copy=False,
        help="Written by the gateway in batches; may lag by a minute.",
    )
    scope_ids = fields.One2many(
        "rest.gateway.key.scope",
        "key_id",
        string="Scopes",
        copy=True,
        help="Models this key may reach and what it may do on them.",
    )
    allow_webhooks = fields.Boolean(
        string="Manage Webhooks",
        copy=False,
        tracking=True,
        help="The key may create and manage its own webhooks through the API, within its scopes. "
        "Set by REST Gateway Managers.",
    )

    _prefix_unique = models.Constraint("UNIQUE (prefix)", "Key prefixes must be unique.")
    _rate_limit_positive = models.Constraint(
        "CHECK (rate_limit >= 0)",
        "The rate limit cannot be negative.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_manager_fields({name for name in MANAGER_FIELDS if vals.get(name)})
        return super().create(vals_list)

    def write(self, vals):
        self._check_manager_fields({
            name for name in MANAGER_FIELDS
            if name in vals and any(key[name] != (vals[name] or False) for key in self)
        })
        return super().write(vals)

    @api.model
    def _check_manager_fields(self, names):
        """Raise ``AccessError`` when a user who is not a REST Gateway Manager
        sets the fields ``names``: a key's owner may not raise its own limits
        (docs/decisions.md D-S33); their keys keep the defaults."""
        if not names or self.env.su or self.env.user.has_group("rest_gateway.group_manager"):
            return
        raise GatewayAccessError(
            _("Only REST Gateway managers may set %(fields)s on an API key.",
              fields=", ".join(self._fields[name].string for name in sorted(names)))
        )

    @api.depends("prefix")
    def _compute_prefix_display(self):
        for key in self:
            key.prefix_display = f"rgw_{key.prefix}_…" if key.prefix else False

    @api.depends("active", "prefix", "expires_at", "revoked_at")
    def _compute_state(self):
        now = fields.Datetime.now()
        for key in self:
            key.state = key._get_credential_state(now)

    @api.constrains("user_id")
    def _check_user_id(self):
        # constraints run as sudo, but env.user is still the real user
        if self.env.user._is_superuser() or self.env.user.has_group("rest_gateway.group_manager"):
            return
        for key in self:
            if key.user_id != self.env.user:
                raise ValidationError(_("You can only create keys that run as yourself."))

    @api.constrains("allowed_ips")
    def _check_allowed_ips(self):
        for key in self:
            for entry in split_list(key.allowed_ips):
                try:
                    ipaddress.ip_network(entry, strict=True)
                except ValueError as exc:
                    raise ValidationError(
                        _("%(entry)s is not an IP address or a network in CIDR notation "
                          "(host bits must be zero, e.g. 10.0.0.0/24).", entry=entry)
                    ) from exc

    @api.constrains("allowed_origins")
    def _check_allowed_origins(self):
        for key in self:
            for entry in split_list(key.allowed_origins):
                if not _is_valid_origin(entry):
                    raise ValidationError(
                        _("%(entry)s is not an origin: write scheme://host[:port], "
                          "e.g. https://app.example.com, without path or trailing slash.", entry=entry)
                    )

    @api.constrains("rate_limit")
    def _check_rate_limit(self):
        if any(key.rate_limit < 0 for key in self):
            raise ValidationError(_("The rate limit cannot be negative; 0 uses the global default."))

    @api.constrains("expires_at")
    def _check_expires_at(self):
        now = fields.Datetime.now()
        for key in self:
            if key.expires_at and key.expires_at <= now:
                raise ValidationError(_("The expiry date must be in the future."))

    def action_generate_key(self):
        """Generate (or replace) the key and show its plaintext once."""
        self.ensure_one()
        return reveal_action(_("API Key Ready"), self._generate_key())

    def _generate_key(self):
        """Store a new prefix and digest for this key; return the plaintext.

        The plaintext is returned to the caller only: neither the database
        nor the chatter ever sees it. Regenerating invalidates the old key.
        """
        self.ensure_one()
        self.check_access("write")
        if self.revoked_at:
            raise UserError(_("A revoked key never works again; create a new key."))
        prefix = self._generate_prefix()
        plaintext = f"rgw_{prefix}_{secrets.token_urlsafe(KEY_SECRET_BYTES)}"
        # The digest is readable by managers only; a user may still (re)key
        # their own key, whose write access was checked just above.
        self.sudo().write({"prefix": prefix, "digest": key_digest(plaintext)})
        self.message_post(body=_("A new key was generated, prefix %(prefix)s.", prefix=prefix))
        return plaintext

    def _prepare_revoke_values(self):
        return {**super()._prepare_revoke_values(), "digest": False}

    # ------------------------------------------------------------------
    # API (called through the bridge as the acting user)
    # ------------------------------------------------------------------

    def _generate_plaintext(self):
        return self._generate_key()

    @api.model
    def _get_api_extra_fields(self):
        return ("allow_webhooks",)

    def _get_api_values(self):
        return {**super()._get_api_values(), "prefix": self.prefix or None, "allow_webhooks": self.allow_webhooks}
