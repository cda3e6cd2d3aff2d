using HealthAI.Deid.Evaluation;

if (EvalCommand.IsEvalCommand(args))
{
    return EvalCommand.Run(args, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultUrls("http://127.0.0.1:5081");
builder.AddServiceDefaults();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
return 0;
