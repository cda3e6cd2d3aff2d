using HealthAI.InferenceServer.Hosting;
using HealthAI.ModelBuilder;

if (args is ["build-model", ..])
{
    return await ModelBuildCommand.RunAsync(args, Console.Out, CancellationToken.None);
}

if (!ServerCommandLine.TryParse(args, out var commandLine, out var error))
{
    await Console.Error.WriteLineAsync(error);
    return 2;
}

if (commandLine.HelpRequested)
{
    Console.WriteLine(ServerCommandLine.Usage);
    return 0;
}

var builder = WebApplication.CreateBuilder();
builder.Configuration.AddInMemoryCollection(commandLine.Settings);
builder.AddServiceDefaults();
builder.AddInferenceServer();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapInferenceServer();
await app.RunAsync();
return 0;
