using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>PUT /servers/{id}: name, description and access addresses change in any state, one event per changed field.</summary>
public class ServerUpdateTests
{
    [Theory]
    [InlineData("building")]
    [InlineData("active")]
    [InlineData("error")]
    [InlineData("shelved_offloaded")]
    [InlineData("active/rebooting")]
    public void A_rename_is_accepted_in_any_state(string state)
    {
        Given(History.Of(state)).When(new ServerCommand.Update(A.Owner, Name: "web-2")).Then(new ServerRenamed(A.ServerId, "web-2"));
    }

    [Fact]
    public void Name_description_and_addresses_change_together_and_fold_into_the_state()
    {
        var spec = Given(History.Of("active"))
            .When(new ServerCommand.Update(A.Owner, "web-2", DescriptionGiven: true, Description: "front end", AccessIPv4: "192.0.2.10"));
        spec.Then(new ServerRenamed(A.ServerId, "web-2"), new ServerDescriptionChanged(A.ServerId, "front end"),
            new ServerAccessAddressesChanged(A.ServerId, "192.0.2.10", null));

        var after = ServerDecider.Fold(History.Of("active", new ServerRenamed(A.ServerId, "web-2"),
            new ServerDescriptionChanged(A.ServerId, "front end"), new ServerAccessAddressesChanged(A.ServerId, "192.0.2.10", null),
            new ServerAccessAddressesChanged(A.ServerId, null, "2001:db8::1")))!;
        Assert.Equal(("web-2", "front end", "192.0.2.10", "2001:db8::1"), (after.Name, after.Description, after.AccessIPv4, after.AccessIPv6));
    }

    [Fact]
    public void A_null_description_removes_it()
    {
        Given(History.Of("active", new ServerDescriptionChanged(A.ServerId, "old")))
            .When(new ServerCommand.Update(A.Owner, DescriptionGiven: true, Description: null))
            .Then(new ServerDescriptionChanged(A.ServerId, null));
    }

    [Fact]
    public void Nothing_changes_when_the_values_are_the_ones_it_has()
    {
        Given(History.Of("active")).When(new ServerCommand.Update(A.Owner, Name: "web-1")).ThenNothing();
        Given(History.Of("active")).When(new ServerCommand.Update(A.Owner)).ThenNothing();
    }

    [Fact]
    public void A_locked_server_is_still_renamed_as_in_nova()
    {
        Given(History.Of("active", A.LockedByAdmin())).When(new ServerCommand.Update(A.Owner, Name: "x")).Then(new ServerRenamed(A.ServerId, "x"));
    }

    [Fact]
    public void A_deleted_server_is_not_found()
    {
        Given(History.Of("deleted")).When(new ServerCommand.Update(A.Owner, Name: "x")).ThenThrows<ServerNotFound>();
    }
}
