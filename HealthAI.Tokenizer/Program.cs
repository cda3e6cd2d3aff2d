using HealthAI.Tokenizer.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultUrls("http://127.0.0.1:5082");

builder.AddServiceDefaults();
builder.AddTokenizerServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTokenizerApi();

app.Run();
