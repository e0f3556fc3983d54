# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""rest_gateway_fields_get: the dependency graph and name-search fields the sidecar's field rules use."""

from .common import RestGatewayCase


class TestRestGatewayFieldPolicy(RestGatewayCase):
    def test_computed_copies_name_their_source(self):
        described = self.env["res.partner"].rest_gateway_fields_get(["type", "string"])
        fields = described["fields"]
        self.assertIn("email", fields["email_normalized"]["depends"])
        self.assertIn("email", fields["email_formatted"]["depends"])
        self.assertEqual(fields["name"]["depends"], [])
        self.assertEqual(fields["name"]["type"], "char")

    def test_related_fields_name_their_path(self):
        fields = self.env["res.users"].rest_gateway_fields_get(["type"])["fields"]
        self.assertEqual(fields["email"]["depends"], ["partner_id.email"])

    def test_name_search_fields(self):
        self.assertIn("email", self.env["res.partner"].rest_gateway_fields_get([])["name_search_fields"])
        # res.users also searches login, in its _search_display_name override (flagged below)
        self.assertEqual(self.env["res.users"].rest_gateway_fields_get([])["name_search_fields"], ["name"])
        self.assertEqual(self.env["res.country"]._rest_gateway_name_search_fields(), ["name", "code"])

    def test_name_search_overrides_are_flagged(self):
        self.assertFalse(self.env["res.partner"].rest_gateway_fields_get([])["name_search_extended"])
        self.assertTrue(self.env["res.users"].rest_gateway_fields_get([])["name_search_extended"])

    def test_allowed_through_the_bridge(self):
        methods = self.env["rest.gateway.bridge"]._get_bridge_methods()
        self.assertEqual(methods.get("rest_gateway_fields_get"), "read")
