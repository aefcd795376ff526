namespace Nova.ComputeRpc;

// The bus contract between the control plane and compute hosts: plain records, carried by RabbitMQ
// at least once, so every receiver treats a redelivery as a no-op. Each server action's messages are
// in its own file under Servers/, named after Nova's compute RPC API.

/// <summary>Who and which API request an instance operation belongs to; carried into the host's reports.</summary>
public sealed record RequestContext(string RequestId, string UserId, string ProjectId);

/// <summary>Any message about one instance: what the control plane asks and what a host answers.</summary>
public interface IInstanceMessage
{
    Guid ServerId { get; }
    RequestContext Request { get; }
}

/// <summary>A host's report of what it did to an instance, sent to the conductor.</summary>
public interface IHostReport : IInstanceMessage
{
    string Host { get; }
}
