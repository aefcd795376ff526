using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Commands.Relay;
using Nova.Commands.Servers.Reporting;

namespace Nova.Commands.Servers;

/// <summary>
/// The rules the server action slices declare (<see cref="IRelayRule{TEvent}"/>, <see cref="IHostReportRule{TReport}"/>)
/// and their periodic tasks, found in this assembly: adding an action adds a folder and edits no table.
/// </summary>
public static class ServerActionSlices
{
    private static readonly Type[] Types = typeof(ServerActionSlices).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }).ToArray();

    /// <summary>Every closed <paramref name="openRule"/> some slice implements: the rule's service type, its class, and what it is about.</summary>
    public static IReadOnlyList<(Type Service, Type Implementation, Type Subject)> Implementing(Type openRule) =>
        Types.SelectMany(t => t.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == openRule)
                .Select(i => (i, t, i.GetGenericArguments()[0])))
            .ToList();

    public static IServiceCollection AddServerActionSlices(this IServiceCollection services)
    {
        foreach (var (service, implementation, _) in Implementing(typeof(IRelayRule<>))) services.AddSingleton(service, implementation);
        foreach (var (service, implementation, _) in Implementing(typeof(IHostReportRule<>))) services.AddSingleton(service, implementation);
        services.AddSingleton<RelayRules>();
        services.AddSingleton(sp => Deadlines.OperationDeadlines.From(sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()));
        services.AddSingleton<HostReportRules>();
        // A slice's periodic task (e.g. offloading shelved servers) runs in the control plane process.
        foreach (var task in Types.Where(t => typeof(BackgroundService).IsAssignableFrom(t)))
            services.AddSingleton(typeof(IHostedService), task);
        return services;
    }

    internal static MethodInfo Generic(Type owner, string name) =>
        owner.GetMethod(name, BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)
        ?? throw new InvalidOperationException($"{owner.Name}.{name} is missing");
}
