using System.Diagnostics;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Images;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Identity;

/// <summary>
/// The unmodified openstack CLI (Debian's python3-openstackclient) with password auth against the real Keystone:
/// it finds this stack's compute and image endpoints in the catalog (its own region) and does the README's
/// walk-through; a member of another project sees none of it.
/// </summary>
[Collection(KeystoneCollection.Name)]
public sealed class OpenStackCliTests(KeystoneCloud cloud) : IDisposable
{
    private readonly TestImages images = new();

    [Fact]
    public async Task The_openstack_cli_walks_through_a_servers_life_with_keystone_password_auth()
    {
        var member = Cli(cloud.Member, cloud.OwnProject);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string image = "cli-image-" + suffix, server = "cli-" + suffix;

        var flavors = (await member.Json("flavor", "list")).AsArray();
        Assert.Contains(flavors, f => f!["Name"]!.GetValue<string>() == "m1.tiny");

        var disk = images.Path("tiny.qcow2");
        await TestImages.Run("qemu-img", "create", "-q", "-f", "qcow2", disk, "16M");
        var created = await member.Json("image", "create", "--file", disk, "--disk-format", "qcow2", "--container-format", "bare", image);
        var imageId = created["id"]!.GetValue<string>();
        using var rest = cloud.Stack.Client(cloud.MemberToken);
        var (_, uploaded) = await rest.Get($"/image/v2/images/{imageId}");
        Assert.Equal("active", uploaded!["status"]!.GetValue<string>());

        var booted = await member.Json("server", "create", "--image", image, "--flavor", "m1.tiny", "--nic", "none", "--wait", server);
        Assert.Equal("ACTIVE", booted["status"]!.GetValue<string>());
        var id = booted["id"]!.GetValue<string>();
        Assert.Contains((await member.Json("server", "list")).AsArray(), s => s!["ID"]!.GetValue<string>() == id);
        Assert.Equal(cloud.OwnProjectId, (await member.Json("server", "show", server))["project_id"]!.GetValue<string>());

        await member.Run("server", "stop", server);
        await rest.WaitForStatus(id, "SHUTOFF");
        await member.Run("server", "start", server);
        await rest.WaitForStatus(id, "ACTIVE");
        await member.Run("server", "reboot", "--wait", server);
        var actions = (await member.Json("server", "event", "list", server)).AsArray().Select(a => a!["Action"]!.GetValue<string>()).ToList();
        Assert.Equal(["create", "reboot", "start", "stop"], actions.Order().ToList());

        // Another project's member: no servers, not the private image, and the name means nothing.
        var outsider = Cli(cloud.Outsider, cloud.OtherProject);
        // (The outsider's project may hold servers of its own from other tests in this collection.)
        Assert.DoesNotContain((await outsider.Json("server", "list")).AsArray(), s => s!["ID"]!.GetValue<string>() == id);
        await Assert.ThrowsAnyAsync<Exception>(() => outsider.Run("server", "show", id));
        Assert.DoesNotContain((await outsider.Json("image", "list")).AsArray(), i => i!["ID"]!.GetValue<string>() == imageId);

        await member.Run("server", "delete", "--wait", server);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await rest.Get($"/v2.1/servers/{id}")).Status);
    }

    [Fact]
    public async Task The_openstack_cli_pauses_suspends_rescues_and_shelves_a_server()
    {
        var member = Cli(cloud.Member, cloud.OwnProject);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string image = "cli-actions-" + suffix, server = "cli-actions-" + suffix;
        var disk = images.Path("actions.qcow2");
        await TestImages.Run("qemu-img", "create", "-q", "-f", "qcow2", disk, "16M");
        await member.Json("image", "create", "--file", disk, "--disk-format", "qcow2", "--container-format", "bare", image);
        var id = (await member.Json("server", "create", "--image", image, "--flavor", "m1.tiny", "--nic", "none", "--wait", server))["id"]!
            .GetValue<string>();
        using var rest = cloud.Stack.Client(cloud.MemberToken);

        await member.Run("server", "pause", server);
        await rest.WaitForStatus(id, "PAUSED");
        await member.Run("server", "unpause", server);
        await rest.WaitForStatus(id, "ACTIVE");
        await member.Run("server", "suspend", server);
        await rest.WaitForStatus(id, "SUSPENDED");
        await member.Run("server", "resume", server);
        await rest.WaitForStatus(id, "ACTIVE");
        await member.Run("server", "rescue", "--image", image, server);
        await rest.WaitForStatus(id, "RESCUE");
        await member.Run("server", "unrescue", server);
        await rest.WaitForStatus(id, "ACTIVE");
        await member.Run("server", "shelve", server);
        await rest.WaitForStatus(id, "SHELVED_OFFLOADED");
        await member.Run("server", "unshelve", server);
        await rest.WaitForStatus(id, "ACTIVE");

        var actions = (await member.Json("server", "event", "list", server)).AsArray().Select(a => a!["Action"]!.GetValue<string>()).ToList();
        Assert.Equal(["create", "pause", "rescue", "resume", "shelve", "shelveOffload", "suspend", "unpause", "unrescue", "unshelve"],
            actions.Order(StringComparer.Ordinal).ToList());
        await member.Run("server", "delete", "--wait", server);
    }

    [Fact]
    public async Task The_openstack_cli_creates_imports_lists_shows_and_deletes_keypairs_and_boots_with_one()
    {
        var member = Cli(cloud.Member, cloud.OwnProject);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string generated = "cli-gen-" + suffix, imported = "cli-imp-" + suffix, server = "cli-key-" + suffix;
        var privateFile = images.Path("id_" + suffix);
        var made = await member.Json("keypair", "create", "--private-key", privateFile, generated);
        Assert.Equal(generated, made["name"]!.GetValue<string>());
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", await File.ReadAllTextAsync(privateFile));

        // The public half of the generated key, imported under another name, has the same fingerprint.
        var publicFile = images.Path("id_" + suffix + ".pub");
        await File.WriteAllTextAsync(publicFile, await member.Run("keypair", "show", "--public-key", generated));
        var import = await member.Json("keypair", "create", "--public-key", publicFile, imported);
        Assert.Equal(made["fingerprint"]!.GetValue<string>(), import["fingerprint"]!.GetValue<string>());

        var names = (await member.Json("keypair", "list")).AsArray().Select(k => k!["Name"]!.GetValue<string>()).ToList();
        Assert.Contains(generated, names);
        Assert.Contains(imported, names);
        Assert.Equal("ssh", (await member.Json("keypair", "show", imported))["type"]!.GetValue<string>());

        // Another project's member has none of them.
        var outsider = Cli(cloud.Outsider, cloud.OtherProject);
        Assert.DoesNotContain((await outsider.Json("keypair", "list")).AsArray(), k => k!["Name"]!.GetValue<string>() == generated);
        await Assert.ThrowsAnyAsync<Exception>(() => outsider.Run("keypair", "show", generated));

        var booted = await member.Json("server", "create", "--image", ControlPlaneStack.DefaultImage, "--flavor", "m1.tiny", "--nic", "none",
            "--key-name", imported, "--wait", server);
        Assert.Equal(imported, booted["key_name"]!.GetValue<string>());
        await Assert.ThrowsAnyAsync<Exception>(() => member.Run("server", "create", "--image", ControlPlaneStack.DefaultImage,
            "--flavor", "m1.tiny", "--nic", "none", "--key-name", "nokey-" + suffix, server + "-nokey"));

        await member.Run("keypair", "delete", generated, imported);
        Assert.DoesNotContain((await member.Json("keypair", "list")).AsArray(), k => k!["Name"]!.GetValue<string>() is var n && (n == generated || n == imported));
        await member.Run("server", "delete", "--wait", server);
    }

    [Fact]
    public async Task The_openstack_cli_renames_a_server_and_sets_and_unsets_its_properties_and_tags()
    {
        var member = Cli(cloud.Member, cloud.OwnProject);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string image = "cli-set-" + suffix, server = "cli-set-" + suffix, renamed = "cli-renamed-" + suffix;
        var disk = images.Path("set.qcow2");
        await TestImages.Run("qemu-img", "create", "-q", "-f", "qcow2", disk, "16M");
        await member.Json("image", "create", "--file", disk, "--disk-format", "qcow2", "--container-format", "bare", image);
        var id = (await member.Json("server", "create", "--image", image, "--flavor", "m1.tiny", "--nic", "none", "--wait", server))["id"]!
            .GetValue<string>();
        using var rest = cloud.Stack.Client(cloud.MemberToken, "2.37");

        await member.Run("server", "set", "--name", renamed, "--property", "role=web", "--property", "tier=1", "--tag", "blue", "--tag", "green", server);
        var shown = await rest.Server(id);
        Assert.Equal(renamed, shown["name"]!.GetValue<string>());
        Assert.Equal("web", shown["metadata"]!["role"]!.GetValue<string>());
        Assert.Equal("1", shown["metadata"]!["tier"]!.GetValue<string>());
        Assert.Equal(["blue", "green"], shown["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Order().ToList());
        Assert.Contains((await member.Json("server", "list", "--tags", "blue")).AsArray(), s => s!["ID"]!.GetValue<string>() == id);

        await member.Run("server", "unset", "--property", "tier", "--tag", "blue", renamed);
        shown = await rest.Server(id);
        Assert.Null(shown["metadata"]!["tier"]);
        Assert.Equal("web", shown["metadata"]!["role"]!.GetValue<string>());
        Assert.Equal(["green"], shown["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToList());
        Assert.DoesNotContain((await member.Json("server", "list", "--tags", "blue")).AsArray(), s => s!["ID"]!.GetValue<string>() == id);

        await member.Run("server", "delete", "--wait", renamed);
    }

    [Fact]
    public async Task The_openstack_cli_creates_a_private_flavor_with_properties_and_shares_it_with_projects()
    {
        var admin = Cli("admin", "admin", cloud.Keystone.AdminPassword);
        var member = Cli(cloud.Member, cloud.OwnProject);
        var outsider = Cli(cloud.Outsider, cloud.OtherProject);
        var flavor = "cli-flavor-" + Guid.NewGuid().ToString("N")[..6];

        await admin.Run("flavor", "create", "--ram", "64", "--vcpus", "1", "--disk", "1", "--private", "--project", cloud.OwnProject,
            "--property", "hw:cpu_policy=shared", flavor);
        var shown = await admin.Json("flavor", "show", flavor);
        Assert.False(shown["os-flavor-access:is_public"]!.GetValue<bool>());
        Assert.Equal("shared", shown["properties"]!["hw:cpu_policy"]!.GetValue<string>());
        Assert.Equal([cloud.OwnProjectId], shown["access_project_ids"]!.AsArray().Select(p => p!.GetValue<string>()).ToList());
        Assert.Contains((await member.Json("flavor", "list")).AsArray(), f => f!["Name"]!.GetValue<string>() == flavor);
        Assert.DoesNotContain((await outsider.Json("flavor", "list")).AsArray(), f => f!["Name"]!.GetValue<string>() == flavor);

        await admin.Run("flavor", "set", "--property", "hw:numa_nodes=1", "--project", cloud.OtherProject, flavor);
        shown = await admin.Json("flavor", "show", flavor);
        Assert.Equal("1", shown["properties"]!["hw:numa_nodes"]!.GetValue<string>());
        Assert.Equal(new[] { cloud.OwnProjectId, cloud.OtherProjectId }.Order(StringComparer.Ordinal),
            shown["access_project_ids"]!.AsArray().Select(p => p!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Contains((await outsider.Json("flavor", "list")).AsArray(), f => f!["Name"]!.GetValue<string>() == flavor);

        await admin.Run("flavor", "unset", "--property", "hw:cpu_policy", "--project", cloud.OwnProject, flavor);
        shown = await admin.Json("flavor", "show", flavor);
        Assert.Null(shown["properties"]!["hw:cpu_policy"]);
        Assert.Equal([cloud.OtherProjectId], shown["access_project_ids"]!.AsArray().Select(p => p!.GetValue<string>()).ToList());
        Assert.DoesNotContain((await member.Json("flavor", "list")).AsArray(), f => f!["Name"]!.GetValue<string>() == flavor);

        await admin.Run("flavor", "delete", flavor);
        Assert.DoesNotContain((await admin.Json("flavor", "list", "--all")).AsArray(), f => f!["Name"]!.GetValue<string>() == flavor);
    }

    [Fact]
    public async Task The_openstack_cli_lists_and_shows_usage()
    {
        var member = Cli(cloud.Member, cloud.OwnProject);
        var server = "cli-usage-" + Guid.NewGuid().ToString("N")[..6];
        var id = (await member.Json("server", "create", "--image", ControlPlaneStack.DefaultImage, "--flavor", "m1.tiny", "--nic", "none", "--wait", server))["id"]!
            .GetValue<string>();

        // The admin lists every project's usage, with 2.40's paging as the CLI follows it; the member shows their own.
        var admin = Cli("admin", "admin", cloud.Keystone.AdminPassword, "2.40");
        JsonNode? own = null;
        await Eventually.True(async () =>
        {
            own = (await admin.Json("usage", "list")).AsArray().FirstOrDefault(u => u!["Project"]!.GetValue<string>() == cloud.OwnProjectId);
            return own is not null;
        }, TimeSpan.FromSeconds(20), "the project's usage listed");
        // The CLI's JSON shows the servers column as the server usages themselves.
        static int Count(JsonNode? servers) => servers is JsonArray a ? a.Count : int.Parse(servers!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Count(own!["Servers"]) >= 1);
        var shown = await member.Json("usage", "show");
        Assert.Equal(cloud.OwnProjectId, shown["Project"]!.GetValue<string>());
        Assert.True(Count(shown["Servers"]) >= 1);
        Assert.True(double.Parse(shown["RAM MB-Hours"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);

        await member.Run("server", "delete", "--wait", id);
    }

    private OpenStackCli Cli(string user, string project, string password = KeystoneCloud.Password, string microversion = "2.37") => new(new Dictionary<string, string>
    {
        ["OS_AUTH_URL"] = cloud.Keystone.Url,
        ["OS_IDENTITY_API_VERSION"] = "3",
        ["OS_AUTH_TYPE"] = "password",
        ["OS_USERNAME"] = user,
        ["OS_PASSWORD"] = password,
        ["OS_PROJECT_NAME"] = project,
        ["OS_USER_DOMAIN_NAME"] = "Default",
        ["OS_PROJECT_DOMAIN_NAME"] = "Default",
        ["OS_REGION_NAME"] = cloud.Region,
        ["OS_COMPUTE_API_VERSION"] = microversion, // 2.37+: --nic none
    });

    public void Dispose() => images.Dispose();
}

/// <summary>Runs <c>/usr/bin/python3 /usr/bin/openstack</c> with only the given OS_* settings.</summary>
public sealed class OpenStackCli(IReadOnlyDictionary<string, string> settings)
{
    public async Task<JsonNode> Json(params string[] args) => JsonNode.Parse(await Run([.. args, "-f", "json"]))!;

    public async Task<string> Run(params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("/usr/bin/openstack");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("OS_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);
        foreach (var (key, value) in settings) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, $"openstack {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
