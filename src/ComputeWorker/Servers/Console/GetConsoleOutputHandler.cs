using Nova.ComputeWorker.Drivers;
using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;

namespace Nova.ComputeWorker.Servers.Console;

/// <summary>os-getConsoleOutput, answered from the driver; a read, so it does not queue behind the instance's operations.</summary>
public sealed class GetConsoleOutputHandler : IInstanceOperation<GetConsoleOutput>
{
    public bool Exclusive => false;

    public async Task Run(GetConsoleOutput m, OnHost host)
    {
        try
        {
            await host.Respond(new ConsoleOutput(m.ServerId, await host.Driver.GetConsoleOutput(m.ServerId, m.Lines, host.Cancellation), null));
        }
        catch (HypervisorError e)
        {
            await host.Respond(new ConsoleOutput(m.ServerId, "", e.Message));
        }
    }
}
