using Microsoft.Extensions.Logging;

namespace HealthAI.TritonClient.Tests;

/// <summary>Records every formatted log message (and exception text) so tests can look for canary values.</summary>
internal sealed class CapturingLogger : ILogger<TritonClient>
{
    public List<string> Messages { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Messages)
        {
            Messages.Add(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
        }
    }
}
