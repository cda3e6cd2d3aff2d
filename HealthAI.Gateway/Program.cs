using HealthAI.Gateway.Audit;
using HealthAI.Gateway.Forwarding;
using HealthAI.Gateway.Pipeline;

// `dotnet run --project HealthAI.Gateway -- audit verify <file>` checks the audit chain instead of serving.
if (AuditCommand.TryRun(args, Console.Out, out var exitCode))
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultUrls("http://127.0.0.1:5080");

builder.AddServiceDefaults();
builder.AddGatewayServer();
builder.AddGatewayTransportSecurity();
builder.AddGatewayAuthentication();
builder.AddGatewayLimits();
builder.AddGatewayAudit();
builder.AddAnalyzePipeline();
builder.AddGatewayForwarder();
builder.AddGatewayConnectionForwarding();
builder.AddGatewayOpenApi();

var app = builder.Build();

app.UseGatewayTransportSecurity();
app.MapDefaultEndpoints();
app.UseGatewayPolicies();

app.MapOpenApi().DisableRateLimiting();
app.MapAnalyzeApi();
app.MapForwardedRoutes();

await app.RunAsync();
return 0;
