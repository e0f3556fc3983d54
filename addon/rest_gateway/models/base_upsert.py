# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Create or update one record by a key, for the bridge (docs/bridge-protocol.md).

``rest_gateway_upsert`` is what the sidecar's ``POST /{model}/upsert`` and the
batch's ``upsert`` operations call. The key is an external id or the value of
a field the admin marked as unique; concurrent upserts of one key are
serialized (models/rest_gateway_upsert_key.py) so they never create twice.
Everything runs as the calling user, except the ``ir.model.data`` row.
"""

import json

from odoo import _, api, models
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
            record, create_xmlid = self._rest_gateway_upsert_by_xmlid(config, external_id)
        else:
            record, create_xmlid = self._rest_gateway_upsert_by_match(config, match), None
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
            if scope is not None:
                Bridge._check_guard_before(record, scope)
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
    def _rest_gateway_upsert_by_xmlid(self, config, external_id):
        """The record ``external_id`` names (or an empty recordset) and, when
        there is none, the ``(module, name)`` to create it under."""
        if not isinstance(external_id, str) or not external_id.strip():
            raise BridgeError("bad_request", _("external_id must be a non-empty string."))
        # as Odoo's xmlids: the module is before the first dot
        module, name = (external_id.split(".", 1) if "." in external_id
                        else (config.upsert_namespace, external_id))
        if not module or not name:
            raise BridgeError("bad_request", _("external_id must be module.name."))
        self.env["rest.gateway.upsert.key"]._lock_key(self._name, "xmlid", f"{module}.{name}")
        # sudo: looking up the name → id row; the record itself is then used as the user
        data = self.env["ir.model.data"].sudo().search(
            [("module", "=", module), ("name", "=", name)], limit=1)
        if data and data.model != self._name:
            raise ValidationError(_("External id %(xmlid)s names a %(model)s record, not a %(this)s.",
                                    xmlid=f"{module}.{name}", model=data.model, this=self._name))
        record = self.browse(data.res_id).exists() if data else self.browse()
        if data and not record:
            data.unlink()  # dangling: its record was deleted
        if not record and module != config.upsert_namespace:
            raise ValidationError(
                _("External ids are created only in namespace %(ns)s; %(xmlid)s does not exist.",
                  ns=config.upsert_namespace, xmlid=f"{module}.{name}"))
        return record, (module, name)

    @api.model
    def _rest_gateway_upsert_by_match(self, config, match):
        """The one record whose marked field equals the value, or an empty recordset."""
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
        # archived records count: matching them avoids a duplicate of an archived record
        found = self.with_context(active_test=False).search([(field_name, "=", value)], limit=2)
        if len(found) > 1:
            raise BridgeError(
                "ambiguous",
                _("More than one %(model)s record has %(field)s = %(value)s.",
                  model=self._name, field=field_name, value=value))
        return found.with_env(self.env)
