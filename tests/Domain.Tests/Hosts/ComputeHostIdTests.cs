using Nova.Domain.Hosts;

namespace Nova.Domain.Tests.Hosts;

public class ComputeHostIdTests
{
    [Fact]
    public void The_same_name_always_gives_the_same_id()
    {
        Assert.Equal(ComputeHostId.From("compute-1"), ComputeHostId.From("compute-1"));
    }

    [Theory]
    [InlineData("compute-1", "compute-2")]
    [InlineData("compute-1", "Compute-1")]
    [InlineData("compute-1", "compute-1 ")]
    [InlineData("a", "")]
    public void Different_names_give_different_ids(string a, string b)
    {
        Assert.NotEqual(ComputeHostId.From(a), ComputeHostId.From(b));
    }

    [Theory]
    // values from Python: uuid.uuid5(uuid.NAMESPACE_URL, "nova-host:" + name), i.e. the RFC 4122 v5 algorithm,
    // so every node (and any other implementation) maps a host name to the same stream
    [InlineData("compute-1", "a6cd91af-a544-50b6-b28e-038f4d72ea91")]
    [InlineData("compute-2", "1f929bf3-2b73-5bff-9159-e1e4ea93a43e")]
    [InlineData("", "911f323f-acca-5283-abc5-96b3f1df9186")]
    public void The_id_is_the_rfc_4122_version_5_uuid_of_the_name(string name, string expected)
    {
        Assert.Equal(Guid.Parse(expected), ComputeHostId.From(name));
    }

    [Fact]
    public void The_id_carries_version_5_and_the_rfc_variant()
    {
        var text = ComputeHostId.From("some-host.example.org").ToString();
        Assert.Equal('5', text[14]);
        Assert.Contains(text[19], "89ab");
    }
}
