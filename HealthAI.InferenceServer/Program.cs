var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultUrls("http://127.0.0.1:8000");
builder.AddServiceDefaults();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
