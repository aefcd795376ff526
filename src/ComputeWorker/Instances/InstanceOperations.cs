
namespace Nova.ComputeWorker.Instances;

/// <summary>The operations the action slices of this assembly declare, one per message type (a second one is a start-up error).</summary>
public static class InstanceOperations
{
    public static IReadOnlyList<(Type Message, object Operation)> Find(IServiceProvider services)
    {
        var found = typeof(InstanceOperations).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false })
            .SelectMany(t => t.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IInstanceOperation<>))
                .Select(i => (Message: i.GetGenericArguments()[0], Type: t)))
            .ToList();
        var duplicate = found.GroupBy(f => f.Message).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"{duplicate.Key.Name} has more than one host operation: {string.Join(", ", duplicate.Select(d => d.Type.Name))}");
        return found.Select(f => (f.Message, ActivatorUtilities.CreateInstance(services, f.Type))).ToList();
    }
}
