using Nova.Api;

await ControlPlane.Build(args).RunAsync();

public partial class Program;
