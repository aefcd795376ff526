using System.Net;
using System.Text;
using Nova.Keystone;

namespace Nova.Api.Tests.Identity;

/// <summary>
/// A 200 from Keystone's token validation whose body is not the documented token identifies nobody: the token is
/// refused (the API's 401), never an exception (a 500). Unit test: the answers are ones a real Keystone never gives.
/// </summary>
public sealed class KeystoneTokenShapeTests
{
    private const string Good = """{"token": {"expires_at": "2999-01-01T00:00:00Z", "user": {"id": "u", "name": "n", "domain": {"id": "default"}}, "project": {"id": "p", "name": "pn", "domain": {"id": "default"}}, "roles": [{"name": "member"}]}}""";

    public static TheoryData<string> Answers => new()
    {
        "",
        "<html>proxy says hello</html>",
        "[]",
        "{}",
        """{"token": null}""",
        """{"token": {"user": {"id": "u"}}}""",
        """{"token": {"expires_at": "soon", "user": {"id": "u", "name": "n", "domain": {"id": "d"}}}}""",
        """{"token": {"expires_at": 42, "user": {"id": "u", "name": "n", "domain": {"id": "d"}}}}""",
        """{"token": {"expires_at": "2999-01-01T00:00:00Z", "user": {"id": null, "name": "n", "domain": {"id": "d"}}}}""",
        """{"token": {"expires_at": "2999-01-01T00:00:00Z", "user": {"id": "u", "name": "n", "domain": {"id": "d"}}, "roles": {"name": "admin"}}}""",
        """{"token": {"expires_at": "2999-01-01T00:00:00Z", "user": {"id": "u", "name": "n", "domain": {"id": "d"}}, "roles": [{"name": 1}]}}""",
        """{"token": {"expires_at": "2999-01-01T00:00:00Z", "user": {"id": "u", "name": "n", "domain": {"id": "d"}}, "project": "p"}}""",
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task An_unexpected_validation_answer_refuses_the_token(string body)
    {
        var keystone = Client(body);
        Assert.Null(await keystone.Validate("service", "subject", CancellationToken.None));
    }

    [Fact]
    public async Task The_documented_answer_is_the_identity()
    {
        var identity = await Client(Good).Validate("service", "subject", CancellationToken.None);
        Assert.Equal(("u", "p", "member"), (identity!.UserId, identity.ProjectId, identity.Roles.Single()));
    }

    private static KeystoneClient Client(string body) =>
        new(new HttpClient(new Answering(body)), new KeystoneSettings { Url = "http://keystone.invalid/v3" });

    private sealed class Answering(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
