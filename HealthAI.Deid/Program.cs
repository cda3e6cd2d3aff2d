using HealthAI.Deid.Apis;
using HealthAI.Deid.Evaluation;
using HealthAI.Deid.Extensions;

if (EvalCommand.IsEvalCommand(args))
{
    return EvalCommand.Run(args, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultUrls("http://127.0.0.1:5081");
builder.AddServiceDefaults();
builder.AddDeidServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapDeidApi();
app.WarmUpDeid();

app.Run();
return 0;
