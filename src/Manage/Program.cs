using System.Globalization;
using Nova.Manage;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var context = new ManageContext(
    Environment.GetEnvironmentVariable("ConnectionStrings__Nova") ?? "Host=127.0.0.1;Port=5432;Database=nova;Username=postgres",
    Console.Out, Console.Error, Terminal: !Console.IsOutputRedirected);
return await NovaManage.Run(args, context, cancel.Token);
