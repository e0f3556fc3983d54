# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Create or update one record by a key, for the bridge (docs/bridge-protocol.md).

``rest_gateway_upsert`` is what the sidecar's ``POST /{model}/upsert`` and the
batch's ``upsert`` operations call. The key is an external id or the value of
a field the admin marked as unique; concurrent upserts of one key are
serialized (models/rest_gateway_upsert_key.py) so they never create twice.
Everything runs as the calling user, except the ``ir.model.data`` row.

A key never tells a record the caller cannot see (outside its scope or its
record rules, or of another model) from one that does not exist
(docs/decisions.md D-S52): a match looks only among the records the caller
sees; an external id the caller may not create answers "does not exist",
one it may create but is taken answers ``upsert_conflict``, whatever took it.
"""

import json

from odoo import _, api, models
from odoo.fields import Domain
from odoo.exceptions import ValidationError

from ..controllers.bridge_errors import BridgeError


class Base(models.AbstractModel):
    _inherit = "base"

    @api.model
    def rest_gateway_upsert(self, values, external_id=None, match=None, scope=None, fields=None):
        """Create the record the key names, or update it with ``values``.

        :param dict values: ``create``/``write`` values
        :param str external_id: ``module.name`` (or ``name``: the namespace's)
        :param dict match: ``{field: value}``, one field the admin marked
        :param list scope: the credential's domain; an existing record must
            match it before the write, and the result after (as ``guard``)
        :param list fields: read the result back with these fields
        :return: ``{"id", "created", "record"}`` (``record`` when ``fields``)
        """
        if (external_id is None) == (match is None):
            raise BridgeError("bad_request", _("An upsert needs either external_id or match."))
        config = self._rest_gateway_upsert_config()
        if external_id is not None:
            record, create_xmlid = self._rest_gateway_upsert_by_xmlid(config, external_id, scope)
        else:
            record, create_xmlid = self._rest_gateway_upsert_by_match(config, match, scope), None
        Bridge = self.env["rest.gateway.bridge"]
        created = not record
        if created:
            record = self.create(values)
            if create_xmlid:
                # sudo for the xmlid row only: ir.model.data is not writable
                # by ordinary users, and the row merely names the record the
                # user just created with their own rights.
                self.env["ir.model.data"].sudo().create({
                    "module": create_xmlid[0], "name": create_xmlid[1],
                    "model": self._name, "res_id": record.id, "noupdate": True,
                })
        else:
            # the record was found inside the scope (_rest_gateway_upsert_by_*)
            record.write(values)
        result = {"id": record.id, "created": created, "record": None}
        if fields:
            rows = Bridge._read_resulting_records(record, fields, scope)
            result["record"] = rows[0] if rows else None
        elif scope is not None:
            Bridge._check_guard_after(record, scope)
        return result

    @api.model
    def _rest_gateway_upsert_config(self):
        # sudo: the exposure settings are the admin's configuration, not data
        config = self.env["rest.gateway.model"].sudo().search([("model", "=", self._name)], limit=1)
        if not config:
            raise BridgeError("bad_request", _("%s is not exposed through the REST gateway.", self._name))
        return config

    @api.model
    def _rest_gateway_upsert_visible(self, scope):
        """The domain of the records this upsert may find: the caller's scope
        (record rules apply, as the search runs as the user), archived ones
        included so that a key never duplicates an archived record."""
        return self.with_context(active_test=False), Domain(scope or [])

    @api.model
    def _rest_gateway_upsert_by_xmlid(self, config, external_id, scope=None):
        """The record ``external_id`` names (or an empty recordset) and, when
        there is none, the ``(module, name)`` to create it under.

        A record the caller cannot see is treated as absent; if the name is
        then one the caller could create, it is taken: ``upsert_conflict``.
        """
        if not isinstance(external_id, str) or not external_id.strip():
            raise BridgeError("bad_request", _("external_id must be a non-empty string."))
        # as Odoo's xmlids: the module is before the first dot
        module, name = (external_id.split(".", 1) if "." in external_id
                        else (config.upsert_namespace, external_id))
        if not module or not name:
            raise BridgeError("bad_request", _("external_id must be module.name."))
        xmlid = f"{module}.{name}"
        self.env["rest.gateway.upsert.key"]._lock_key(self._name, "xmlid", xmlid)
        # sudo: looking up the name → id row; the record itself is then used as the user
        data = self.env["ir.model.data"].sudo().search(
            [("module", "=", module), ("name", "=", name)], limit=1)
        record = self.browse()
        if data and data.model == self._name:
            if not self.browse(data.res_id).exists():
                data.unlink()  # dangling: its record was deleted
                data = data.browse()
            else:
                model, domain = self._rest_gateway_upsert_visible(scope)
                record = model.search(Domain("id", "=", data.res_id) & domain).with_env(self.env)
        if record:
            return record, (module, name)
        if module != config.upsert_namespace:
            # the same answer whether the name is free or names a record
            # this caller cannot see (another model's included)
            raise ValidationError(
                _("External ids are created only in namespace %(ns)s; %(xmlid)s does not exist.",
                  ns=config.upsert_namespace, xmlid=xmlid))
        if data:
            raise BridgeError(
                "upsert_conflict",
                _("External id %(xmlid)s is already taken; it cannot be upserted with this credential.",
                  xmlid=xmlid))
        return record, (module, name)

    @api.model
    def _rest_gateway_upsert_by_match(self, config, match, scope=None):
        """The one record the caller sees whose marked field equals the value, or an empty recordset."""
        if not isinstance(match, dict) or len(match) != 1:
            raise BridgeError("bad_request", _("match must be an object with exactly one field."))
        (field_name, value), = match.items()
        if field_name not in config.upsert_match_field_ids.mapped("name"):
            raise ValidationError(
                _("%(field)s is not a field upserts of %(model)s may match by.",
                  field=field_name, model=self._name))
        if value is None or value is False or isinstance(value, (dict, list)):
            raise BridgeError("bad_request", _("The match value must be a non-empty scalar."))
        self.env["rest.gateway.upsert.key"]._lock_key(
            self._name, "match", f"{field_name}={json.dumps(value, sort_keys=True)}")
        # only what the caller sees is matched: a hidden record is not there
        # for it, and the create that follows fails on a unique constraint
        # exactly as POST /{model} would (D-S52)
        model, domain = self._rest_gateway_upsert_visible(scope)
        found = model.search(Domain(field_name, "=", value) & domain, limit=2)
        if len(found) > 1:
            raise BridgeError(
                "ambiguous",
                _("More than one %(model)s record has %(field)s = %(value)s.",
                  model=self._name, field=field_name, value=value))
        return found.with_env(self.env)
