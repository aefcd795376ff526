using System.Text.Json.Nodes;
using Nova.Api.Http;
using Nova.Api.Schemas;

namespace Nova.Api.Tests.Schemas;

/// <summary>
/// The request schema validator against Nova's own schemas (src/Api/Schemas), with the details Nova answers. The
/// expected messages are those Python's jsonschema 4.x and nova/api/validation/validators.py give for the same body.
/// </summary>
public sealed class RequestSchemaValidatorTests
{
    private static string? DetailOf(string route, string version, string body)
    {
        Assert.True(Microversion.TryParse(version, out var microversion));
        var schema = RequestSchemas.For(route, microversion);
        Assert.NotNull(schema);
        return SchemaValidator.FirstViolation(schema, JsonNode.Parse(body))?.Detail;
    }

    public static TheoryData<string, string, string, string> Refusals => new()
    {
        { "servers/create", "2.1", """{"server": {"name": "x", "flavorRef": "1", "bogus": 1}}""",
            "Invalid input for field/attribute server. Value: {'name': 'x', 'flavorRef': '1', 'bogus': 1}. Additional properties are not allowed ('bogus' was unexpected)" },
        { "servers/create", "2.1", """{"server": {"name": "x"}}""",
            "Invalid input for field/attribute server. Value: {'name': 'x'}. 'flavorRef' is a required property" },
        { "servers/create", "2.1", """{"server": {"name": "x", "flavorRef": "1", "metadata": {"a": 1}}}""",
            "Invalid input for field/attribute a. Value: 1. 1 is not of type 'string'" },
        { "servers/create", "2.1", """{"server": {"name": "x", "flavorRef": "1", "imageRef": "nope"}}""",
            "Invalid input for field/attribute imageRef. Value: nope. 'nope' is not valid under any of the given schemas" },
        { "servers/create", "2.1", """{"server": {"name": "x", "flavorRef": "1", "accessIPv4": "1.2.3"}}""",
            "Invalid input for field/attribute accessIPv4. Value: 1.2.3. '1.2.3' is not a 'ipv4'" },
        { "servers/create", "2.1", """{"server": {"name": "x", "flavorRef": null}}""",
            "Invalid input for field/attribute flavorRef. Value: None. None is not of type 'string', 'integer'" },
        // Nova's minimum reads numeric strings: "0" is 0.
        { "servers/create", "2.1", """{"server": {"name": "x", "flavorRef": "1", "min_count": "0"}}""",
            "Invalid input for field/attribute min_count. Value: 0. 0 is less than the minimum of 1" },
        { "servers/create", "2.37", """{"server": {"name": "x", "flavorRef": "1", "networks": "bogus"}}""",
            "Invalid input for field/attribute networks. Value: bogus. 'bogus' is not valid under any of the given schemas" },
        { "servers/create", "2.37", """{"server": {"name": "x", "flavorRef": "1"}}""",
            "Invalid input for field/attribute server. Value: {'name': 'x', 'flavorRef': '1'}. 'networks' is a required property" },
        { "servers/action/reboot", "2.1", """{"reboot": {"type": "GENTLE"}}""",
            "Invalid input for field/attribute type. Value: GENTLE. 'GENTLE' is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']" },
        { "servers/action/reboot", "2.1", """{"reboot": {"type": "HARD", "x": 1}}""",
            "Invalid input for field/attribute reboot. Value: {'type': 'HARD', 'x': 1}. Additional properties are not allowed ('x' was unexpected)" },
        { "servers/action/os-getConsoleOutput", "2.1", """{"os-getConsoleOutput": {"length": -2}}""",
            "Invalid input for field/attribute length. Value: -2. -2 is less than the minimum of -1" },
        { "servers/action/migrate", "2.56", """{"migrate": {"hots": "x"}}""",
            "Invalid input for field/attribute migrate. Value: {'hots': 'x'}. Additional properties are not allowed ('hots' was unexpected)" },
        { "servers/action/lock", "2.73", """{"lock": {"locked_reason": ""}}""",
            "Invalid input for field/attribute locked_reason. Value: . '' should be non-empty" },
        { "servers/action/createBackup", "2.1", """{"createBackup": {"name": "b", "backup_type": "daily", "rotation": "-1"}}""",
            "Invalid input for field/attribute rotation. Value: -1. '-1' does not match '^[0-9]*$'" },
        { "servers/action/os-resetState", "2.1", """{"os-resetState": {"state": "paused"}}""",
            "Invalid input for field/attribute state. Value: paused. 'paused' is not one of ['active', 'error']" },
        { "servers/action/rebuild", "2.1", """{"rebuild": {"imageRef": "8f4c3b2a-1d5e-4c6f-9a7b-0e1d2c3b4a59", "key_name": "k"}}""",
            "Invalid input for field/attribute rebuild. Value: {'imageRef': '8f4c3b2a-1d5e-4c6f-9a7b-0e1d2c3b4a59', 'key_name': 'k'}. Additional properties are not allowed ('key_name' was unexpected)" },
        { "servers/action/resize", "2.1", """{"resize": {"flavorRef": ""}}""",
            "Invalid input for field/attribute flavorRef. Value: . '' should be non-empty" },
        { "servers/action/rescue", "2.1", """{"rescue": {"rescue_image_ref": "x"}}""",
            "Invalid input for field/attribute rescue_image_ref. Value: x. 'x' is not a 'uuid'" },
        { "servers/update", "2.1", """{"server": {"description": "d"}}""",
            "Invalid input for field/attribute server. Value: {'description': 'd'}. Additional properties are not allowed ('description' was unexpected)" },
        { "server-metadata/update", "2.1", """{"meta": {}}""",
            "Invalid input for field/attribute meta. Value: {}. {} should be non-empty" },
        { "server-metadata/update", "2.1", """{"meta": {"a": "1", "b": "2"}}""",
            "Invalid input for field/attribute meta. Value: {'a': '1', 'b': '2'}. {'a': '1', 'b': '2'} has too many properties" },
        { "server-metadata/update-all", "2.1", """{"metadata": {"a": "1"}, "x": 1}""",
            "Additional properties are not allowed ('x' was unexpected)" },
        { "server-tags/update-all", "2.26", """{"tags": ["a/b"]}""",
            "Invalid input for field/attribute 0. Value: a/b. 'a/b' does not match '^[^,/]*$'" },
        { "keypairs/create", "2.2", """{"keypair": {"name": "k", "type": "rsa"}}""",
            "Invalid input for field/attribute type. Value: rsa. 'rsa' is not one of ['ssh', 'x509']" },
        { "keypairs/create", "2.1", """{"keypair": {"name": "k", "type": "ssh"}}""",
            "Invalid input for field/attribute keypair. Value: {'name': 'k', 'type': 'ssh'}. Additional properties are not allowed ('type' was unexpected)" },
        { "server-groups/create", "2.1", """{"server_group": {"name": "g", "policies": ["affinity", "anti-affinity"]}}""",
            "Invalid input for field/attribute policies. Value: ['affinity', 'anti-affinity']. ['affinity', 'anti-affinity'] is too long" },
        { "quota-sets/update", "2.36", """{"quota_set": {"floating_ips": 1}}""",
            "Invalid input for field/attribute quota_set. Value: {'floating_ips': 1}. Additional properties are not allowed ('floating_ips' was unexpected)" },
        { "quota-sets/update", "2.1", """{"quota_set": {"instances": "x"}}""",
            "Invalid input for field/attribute instances. Value: x. 'x' does not match '^-?[0-9]+$'" },
        { "services/update", "2.53", """{"status": "maybe"}""",
            "Invalid input for field/attribute status. Value: maybe. 'maybe' is not one of ['enabled', 'disabled']" },
        { "aggregates/create", "2.1", """{"aggregate": {"name": "a", "x": 1}}""",
            "Invalid input for field/attribute aggregate. Value: {'name': 'a', 'x': 1}. Additional properties are not allowed ('x' was unexpected)" },
        { "aggregates/action/set_metadata", "2.1", """{"set_metadata": {"metadata": {"k": 1}}}""",
            "Invalid input for field/attribute k. Value: 1. 1 is not of type 'string', 'null'" },
        // Nova's name format: its own message replaces the whole detail.
        { "servers/create", "2.1", """{"server": {"name": " x", "flavorRef": "1"}}""",
            "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace." },
        { "servers/update", "2.1", """{"server": {"name": "tab\tinside"}}""",
            "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Given_a_body_that_breaks_Novas_schema_when_it_is_checked_then_the_detail_is_Novas(string route, string version, string body, string detail) =>
        Assert.Equal(detail, DetailOf(route, version, body));

    public static TheoryData<string, string, string> Accepted => new()
    {
        { "servers/create", "2.1", """{"server": {"name": "x", "flavorRef": 1, "imageRef": "8f4c3b2a-1d5e-4c6f-9a7b-0e1d2c3b4a59", "min_count": "2", "max_count": 3, "return_reservation_id": "True", "metadata": {"k": "v"}}}""" },
        { "servers/create", "2.1", """{"server": {"name": "x", "flavorRef": "1", "imageRef": ""}, "os:scheduler_hints": {"group": "8f4c3b2a-1d5e-4c6f-9a7b-0e1d2c3b4a59"}}""" },
        { "servers/create", "2.37", """{"server": {"name": "x", "flavorRef": "1", "networks": "auto"}}""" },
        { "servers/create", "2.52", """{"server": {"name": "x", "flavorRef": "1", "networks": "none", "tags": ["a", "b"]}}""" },
        { "servers/action/migrate", "2.1", """{"migrate": {}}""" },
        { "servers/action/migrate", "2.1", """{"migrate": {"anything": "goes before 2.56"}}""" },
        { "servers/action/migrate", "2.56", """{"migrate": null}""" },
        { "servers/action/migrate", "2.56", """{"migrate": {"host": "fake-1"}}""" },
        { "servers/action/lock", "2.1", """{"lock": {"locked_reason": "ignored before 2.73"}}""" },
        { "servers/action/os-getConsoleOutput", "2.1", """{"os-getConsoleOutput": {"length": "-1"}}""" },
        { "servers/action/os-getConsoleOutput", "2.1", """{"os-getConsoleOutput": {"length": null}}""" },
        { "servers/action/reboot", "2.1", """{"reboot": {"type": "soft"}}""" },
        { "servers/action/rescue", "2.1", """{"rescue": null}""" },
        { "servers/action/os-stop", "2.1", """{"os-stop": null}""" },
        { "servers/action/createBackup", "2.1", """{"createBackup": {"name": "b", "backup_type": "daily", "rotation": "0"}}""" },
        { "servers/update", "2.19", """{"server": {"name": "n", "description": null, "accessIPv6": "::1"}}""" },
        { "services/update", "2.11", """{"host": "fake-1", "binary": "nova-compute", "forced_down": "yes"}""" },
        { "keypairs/create", "2.10", """{"keypair": {"name": "k", "type": "ssh", "user_id": "u"}}""" },
        // The name format: Python's '$' also matches before one final newline.
        { "servers/update", "2.1", """{"server": {"name": "trailing newline\n"}}""" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Given_a_body_Nova_accepts_when_it_is_checked_then_nothing_is_refused(string route, string version, string body) =>
        Assert.Null(DetailOf(route, version, body));

    [Theory]
    [InlineData("""{"type": "string"}""", "1.5", "1.5 is not of type 'string'")]
    [InlineData("""{"type": "string"}""", "1e100", "1e+100 is not of type 'string'")]
    [InlineData("""{"type": "string"}""", "0.00001", "1e-05 is not of type 'string'")]
    [InlineData("""{"type": "string"}""", "100.0", "100.0 is not of type 'string'")]
    [InlineData("""{"type": "string"}""", """{"a": [1, null, true, "it's"]}""", """{'a': [1, None, True, "it's"]} is not of type 'string'""")]
    [InlineData("""{"type": "integer"}""", "\"5\"", "'5' is not of type 'integer'")]
    [InlineData("""{"type": "object"}""", "\"a\\nb\\u0001\"", "'a\\nb\\x01' is not of type 'object'")]
    [InlineData("""{"minLength": 2}""", "\"a\"", "'a' is too short")]
    [InlineData("""{"maxLength": 2}""", "\"abc\"", "'abc' is too long")]
    [InlineData("""{"maxLength": 1}""", "\"\\ud83d\\ude00\"", null)]
    [InlineData("""{"additionalProperties": false, "patternProperties": {"^a": {}, "^b": {}}}""", """{"x": 1, "c": 2}""", "'c', 'x' do not match any of the regexes: '^a', '^b'")]
    [InlineData("""{"additionalProperties": false, "properties": {"a": {}}}""", """{"x": 1, "c": 2}""", "Additional properties are not allowed ('c', 'x' were unexpected)")]
    [InlineData("""{"enum": [true, "a"]}""", "1", "1 is not one of [True, 'a']")]
    [InlineData("""{"uniqueItems": true}""", "[1, 1.0]", "[1, 1.0] has non-unique elements")]
    [InlineData("""{"type": "integer"}""", "2.0", null)]
    [InlineData("""{"oneOf": [{}, {}]}""", "1", "1 is valid under each of {}, {}")]
    [InlineData("""{"format": "ipv4"}""", "\"01.2.3.4\"", "'01.2.3.4' is not a 'ipv4'")]
    [InlineData("""{"format": "ipv6"}""", "\"fe80::1%eth0\"", "'fe80::1%eth0' is not a 'ipv6'")]
    [InlineData("""{"format": "uuid"}""", "\"8F4C3B2A1D5E4C6F9A7B0E1D2C3B4A59\"", null)]
    [InlineData("""{"format": "uuid"}""", "42", null)]
    [InlineData("""{"format": "cidr"}""", "\"10.0.0.0\"", "'10.0.0.0' is not a 'cidr'")]
    [InlineData("""{"format": "cidr"}""", "\"10.0.0.0/8\"", null)]
    [InlineData("""{"minimum": 1}""", "\"0\"", "0 is less than the minimum of 1")]
    [InlineData("""{"maximum": 10}""", "\"11\"", "11 is greater than the maximum of 10")]
    [InlineData("""{"minimum": 1}""", "\"abc\"", null)]
    public void Given_a_value_when_checked_at_the_top_level_then_the_message_is_jsonschemas(string schema, string value, string? message) =>
        Assert.Equal(message, SchemaValidator.FirstViolation(JsonNode.Parse(schema)!, JsonNode.Parse(value))?.Message);

    [Fact]
    public void Given_the_name_formats_when_names_are_checked_then_they_follow_Novas_printable_rules()
    {
        Assert.True(SchemaFormats.IsName("name", "a b"));
        Assert.False(SchemaFormats.IsName("name", " a"));
        Assert.False(SchemaFormats.IsName("name", "a\u00a0"));  // a no-break space is whitespace at the end
        Assert.False(SchemaFormats.IsName("name", "a\u2028b")); // a line separator is not printable
        Assert.False(SchemaFormats.IsName("name", null));
        Assert.True(SchemaFormats.IsName("name_with_leading_trailing_spaces", "  a  "));
        Assert.False(SchemaFormats.IsName("name_with_leading_trailing_spaces", "   "));
        Assert.False(SchemaFormats.IsName("az_name", "zone:host"));
        Assert.True(SchemaFormats.IsName("az_name", "zone"));
    }

    [Fact]
    public void Given_every_schema_file_when_loaded_then_each_route_starts_at_its_first_version_and_is_a_json_schema_object()
    {
        Assert.Contains("servers/create", RequestSchemas.Names);
        Assert.Contains("servers/action/reboot", RequestSchemas.Names);
        foreach (var route in RequestSchemas.Names)
            Assert.IsType<JsonObject>(RequestSchemas.For(route, Microversion.Max) ?? RequestSchemas.For(route, new Microversion(2, 200)));
        // Tags exist from 2.26: before, the route answers 404 and no schema is in force.
        Assert.Null(RequestSchemas.For("server-tags/update-all", new Microversion(2, 25)));
    }
}
