using Nova.ComputeWorker;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddComputeWorker(builder.Configuration);
await builder.Build().RunAsync();
