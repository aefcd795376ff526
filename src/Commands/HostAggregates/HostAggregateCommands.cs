using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.HostAggregates;
using Nova.Domain.Hosts;
using Nova.Store.Hosts;

namespace Nova.Commands.HostAggregates;

/// <summary>POST /os-aggregates (admin).</summary>
public sealed record CreateHostAggregate(string Name, string? AvailabilityZone) : ICommand<HostAggregateRecord>, IValidated
{
    public IEnumerable<string> Validate() =>
        HostAggregateInput.Name("name", Name).Concat(HostAggregateInput.Name("availability_zone", AvailabilityZone));
}

/// <summary>PUT /os-aggregates/{id} (admin): a new name and/or availability zone.</summary>
public sealed record UpdateHostAggregate(int Id, string? Name, bool SetZone, string? AvailabilityZone)
    : ICommand<HostAggregateRecord>, IValidated
{
    public IEnumerable<string> Validate()
    {
        if (Name is null && !SetZone) yield return "Invalid input for field/attribute aggregate. Value: {}. {} does not have enough properties";
        foreach (var e in HostAggregateInput.Name("name", Name).Concat(HostAggregateInput.Name("availability_zone", AvailabilityZone)))
            yield return e;
    }
}

/// <summary>POST /os-aggregates/{id}/action (admin): add_host, remove_host, set_metadata.</summary>
public sealed record ChangeHostAggregate(int Id, HostAggregateCommand Change) : ICommand<HostAggregateRecord>, IValidated
{
    public IEnumerable<string> Validate() => Change switch
    {
        HostAggregateCommand.AddHost a => HostAggregateInput.Name("host", a.Host),
        HostAggregateCommand.RemoveHost r => HostAggregateInput.Name("host", r.Host),
        HostAggregateCommand.SetMetadata m => m.Changes.SelectMany(c =>
            c.Key.Length is < 1 or > 255 ? [$"Invalid input for field/attribute metadata. Value: {c.Key}. Keys are 1 to 255 characters."]
            : c.Value is { Length: > 255 } ? [$"Invalid input for field/attribute metadata. Value: {c.Value}. Values are at most 255 characters."]
            : c.Key == HostAggregate.ZoneKey ? HostAggregateInput.Name("availability_zone", c.Value)
            : []),
        _ => [],
    };
}

/// <summary>DELETE /os-aggregates/{id} (admin): only an aggregate without hosts.</summary>
public sealed record DeleteHostAggregate(int Id) : ICommand<bool>;

internal static class HostAggregateInput
{
    public static IEnumerable<string> Name(string field, string? value)
    {
        if (value is null) yield break;
        if (value.Length is < 1 or > 255 || value.Trim() != value)
            yield return $"Invalid input for field/attribute {field}. Value: {value}. It must be 1 to 255 characters without leading or trailing whitespace.";
    }
}

/// <summary>
/// The write path for aggregates: read every aggregate and the hosts concerned, decide with Nova's rules,
/// store the aggregate and, in the same transaction, move each affected host into its new zone on the
/// host's stream (locked, so the zone never changes under a scheduler's claim). A lost race re-decides.
/// </summary>
public sealed class HostAggregateHandlers(EventSessions sessions, Caller caller, TimeProvider clock) :
    ICommandHandler<CreateHostAggregate, HostAggregateRecord>, ICommandHandler<UpdateHostAggregate, HostAggregateRecord>,
    ICommandHandler<ChangeHostAggregate, HostAggregateRecord>, ICommandHandler<DeleteHostAggregate, bool>
{
    public const string Policy = "os_compute_api:os-aggregates";

    public async ValueTask<HostAggregateRecord> Handle(CreateHostAggregate command, CancellationToken ct)
    {
        Authorize("create");
        return await sessions.WithRetry(async session =>
        {
            var all = await session.Query<HostAggregateRecord>().ToListAsync(ct);
            HostAggregateDecider.RequireUniqueName(command.Name, all.Select(a => a.ToDomain()));
            var now = clock.GetUtcNow();
            var record = new HostAggregateRecord { Uuid = Guid.NewGuid(), Name = command.Name, CreatedAt = now };
            if (command.AvailabilityZone is { } zone) record.Metadata[HostAggregate.ZoneKey] = zone;
            session.Insert(record);
            await session.SaveChangesAsync(ct);
            return record;
        });
    }

    public ValueTask<HostAggregateRecord> Handle(UpdateHostAggregate command, CancellationToken ct)
    {
        Authorize("update");
        return Change(command.Id, new HostAggregateCommand.Update(command.Name, command.SetZone, command.AvailabilityZone), ct);
    }

    public ValueTask<HostAggregateRecord> Handle(ChangeHostAggregate command, CancellationToken ct)
    {
        Authorize(command.Change switch
        {
            HostAggregateCommand.AddHost => "add_host",
            HostAggregateCommand.RemoveHost => "remove_host",
            _ => "set_metadata",
        });
        return Change(command.Id, command.Change, ct);
    }

    public async ValueTask<bool> Handle(DeleteHostAggregate command, CancellationToken ct)
    {
        Authorize("delete");
        return await sessions.WithRetry(async session =>
        {
            var record = await session.LoadAsync<HostAggregateRecord>(command.Id, ct) ?? throw NotFound(command.Id);
            HostAggregateDecider.RequireEmpty(record.ToDomain());
            session.Delete(record);
            await session.SaveChangesAsync(ct);
            return true;
        });
    }

    private async ValueTask<HostAggregateRecord> Change(int id, HostAggregateCommand command, CancellationToken ct) =>
        await sessions.WithRetry(async session =>
        {
            var all = await session.Query<HostAggregateRecord>().ToListAsync(ct);
            var record = all.FirstOrDefault(a => a.Id == id) ?? throw NotFound(id);
            var hosts = (await session.Query<ComputeHost>().Where(h => !h.Deleted).ToListAsync(ct)).ToDictionary(h => h.Name);
            if (command is HostAggregateCommand.AddHost add && !hosts.ContainsKey(add.Host)) throw new HostNotFound(add.Host);

            var context = new HostAggregateContext(all.Where(a => a.Id != id).Select(a => a.ToDomain()).ToList(),
                host => hosts.TryGetValue(host, out var h) && h.Claims.Count > 0);
            var change = HostAggregateDecider.Decide(command, record.ToDomain(), context);
            foreach (var (host, zone) in change.HostZones)
            {
                var stream = await session.Events.FetchForExclusiveWriting<ComputeHost>(ComputeHostId.From(host), ct);
                if (stream.Aggregate is not { Deleted: false } state) continue; // a removed host keeps no zone
                stream.AppendMany(ComputeHostDecider.Decide(new ComputeHostCommand.AssignZone(zone), state));
            }
            record.Apply(change.Aggregate, clock.GetUtcNow());
            session.Update(record);
            await session.SaveChangesAsync(ct);
            return record;
        });

    private void Authorize(string action)
    {
        caller.Authorize($"{Policy}:{action}");
    }

    private static HostAggregateNotFound NotFound(int id) => new($"Aggregate {id} could not be found.");
}
