# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Field metadata for the sidecar's field rules (docs/decisions.md D-S3).

``rest_gateway_fields_get`` is ``fields_get`` plus what a blocklist needs
to hide every copy of a blocked value: each field's dependencies as the
ORM records them (the paths a computed field depends on, a related
field's path), and the fields the model's name search compares with
(what ``display_name`` and a text comparison on a relation search).
"""

from odoo import api, models


class Base(models.AbstractModel):
    _inherit = "base"

    @api.model
    @api.readonly
    def rest_gateway_fields_get(self, attributes=None):
        """Return ``{"fields": ..., "name_search_fields": [...], "name_search_extended": bool}``.

        Each field description gains ``depends``: the dependency paths of
        the field (``["email"]``, ``["partner_id.email"]``), empty for a
        plain stored field. The lists come from the ORM's own dependency
        graph (``Field.get_depends``), so computed and related fields added
        by any module are covered.
        """
        described = self.fields_get(attributes=attributes)
        for name, description in described.items():
            field = self._fields.get(name)
            description["depends"] = self._rest_gateway_field_depends(field) if field else []
        return {
            "fields": described,
            "name_search_fields": self._rest_gateway_name_search_fields(),
            "name_search_extended": self._rest_gateway_name_search_extended(),
        }

    @api.model
    def _rest_gateway_field_depends(self, field):
        """The dependency paths of ``field`` (strings, dotted across relations)."""
        try:
            depends, _depends_context = field.get_depends(self)
        except (KeyError, AttributeError):
            # a dependency on a field that no longer exists (module half
            # uninstalled): say the field depends on itself, which a rule
            # cannot block, rather than fail the whole description
            return []
        return sorted({path for path in depends if isinstance(path, str) and path})

    @api.model
    def _rest_gateway_name_search_fields(self):
        """The fields ``name_search`` and a ``display_name`` search compare with.

        Mirrors ``BaseModel._search_display_name``: ``_rec_names_search``,
        else ``_rec_name``.
        """
        names = self._rec_names_search or ([self._rec_name] if self._rec_name else [])
        return [name for name in names if isinstance(name, str)]

    @api.model
    def _rest_gateway_name_search_extended(self):
        """Whether the model overrides ``_search_display_name``.

        An override may compare with fields of its own choosing (res.users
        also searches ``login``), so the fields above are then not the whole
        story and the sidecar allows a text search only to a credential
        without field rules on the model.
        """
        return type(self)._search_display_name is not models.BaseModel._search_display_name
