using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace HealthAI.Gateway.Tests;

/// <summary>Behaviours of the fake downstream services, following the internal contracts in DESIGN.md.</summary>
public static partial class FakeServices
{
    /// <summary>
    /// A small but honest deid: replaces the given patient name and SSN-shaped numbers with placeholders and reports spans into
    /// the original text, as the real service does.
    /// </summary>
    public static async Task Deid(HttpContext context, string body)
    {
        var request = JsonNode.Parse(body)!;
        var text = (string)request["text"]!;
        var name = (string?)request["patient"]?["name"];
        var found = new List<(int Start, int End, string Type)>();
        if (!string.IsNullOrEmpty(name))
        {
            for (var i = text.IndexOf(name, StringComparison.Ordinal); i >= 0; i = text.IndexOf(name, i + name.Length, StringComparison.Ordinal))
            {
                found.Add((i, i + name.Length, "NAME"));
            }
        }

        foreach (Match match in Ssn().Matches(text))
        {
            found.Add((match.Index, match.Index + match.Length, "SSN"));
        }

        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        var output = new System.Text.StringBuilder();
        var entities = new JsonArray();
        var last = 0;
        foreach (var (start, end, type) in found)
        {
            var replacement = $"[{type}]";
            output.Append(text, last, start - last).Append(replacement);
            entities.Add(new JsonObject { ["type"] = type, ["start"] = start, ["end"] = end, ["replacement"] = replacement });
            last = end;
        }

        output.Append(text, last, text.Length - last);
        await WriteJson(context, new JsonObject { ["text"] = output.ToString(), ["entities"] = entities });
    }

    /// <summary>Classifies "good" as POSITIVE, anything else NEGATIVE.</summary>
    public static async Task Tokenizer(HttpContext context, string body)
    {
        var texts = JsonNode.Parse(body)!["texts"]!.AsArray();
        var results = new JsonArray();
        foreach (var text in texts)
        {
            var positive = ((string)text!).Contains("good", StringComparison.OrdinalIgnoreCase);
            results.Add(new JsonObject
            {
                ["label"] = positive ? "POSITIVE" : "NEGATIVE",
                ["scores"] = new JsonObject { ["NEGATIVE"] = positive ? 0.1 : 0.9, ["POSITIVE"] = positive ? 0.9 : 0.1 },
            });
        }

        await WriteJson(context, new JsonObject
        {
            ["model"] = new JsonObject { ["name"] = "distilbert-sst2", ["version"] = "1" },
            ["results"] = results,
        });
    }

    public static async Task Triton(HttpContext context, string body)
    {
        var path = context.Request.Path.Value!;
        if (path.EndsWith("/ready", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 200;
            return;
        }

        await WriteJson(context, new JsonObject { ["name"] = path.Split('/')[3], ["platform"] = "onnxruntime_onnx", ["versions"] = new JsonArray("1") });
    }

    public static Func<HttpContext, string, Task> Status(int status) => (context, _) =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    };

    /// <summary>Never answers until the caller gives up; records that it saw the cancellation.</summary>
    public static Func<HttpContext, string, Task> Hang(TaskCompletionSource? aborted = null) => async (context, _) =>
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            aborted?.TrySetResult();
        }
    };

    public static Task WriteJson(HttpContext context, JsonNode node)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(node.ToJsonString(JsonSerializerOptions.Web));
    }

    [GeneratedRegex(@"\b\d{3}-\d{2}-\d{4}\b")]
    private static partial Regex Ssn();
}
