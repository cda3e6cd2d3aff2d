using HealthAI.Gateway.Audit;
using HealthAI.Gateway.Logging;

namespace HealthAI.Gateway.Pipeline;

/// <summary>
/// De-identify, then classify. Fails closed: the tokenizer is only called with text <c>deid</c> returned, after that answer
/// passed every contract check; any deid failure ends the request before the tokenizer is reached.
/// </summary>
public sealed class AnalyzePipeline(DeidClient deid, TokenizerClient tokenizer, TimeProvider timeProvider, ILogger<AnalyzePipeline> logger)
{
    /// <summary>The default de-identification mode.</summary>
    public const string DefaultMode = "placeholder";

    /// <summary>Analyzes one validated note. Throws <see cref="DownstreamException"/> when a hop fails.</summary>
    public async Task<AnalyzeResponse> AnalyzeAsync(AnalyzeRequest request, string requestId, AuditFeature? audit, CancellationToken cancellationToken)
    {
        var text = request.Text!;
        var started = timeProvider.GetTimestamp();
        var deidentified = await deid.DeidentifyAsync(
            new DeidRequest(text, request.Deid?.Mode ?? DefaultMode, request.Patient), cancellationToken);
        var deidDone = timeProvider.GetTimestamp();

        var (safeText, spans) = CheckDeidAnswer(text, deidentified);
        if (audit is not null)
        {
            foreach (var span in spans)
            {
                audit.CountEntity(span.Type);
            }
        }

        var classified = await tokenizer.ClassifyAsync(new ClassifyRequest([safeText]), cancellationToken);
        var classifyDone = timeProvider.GetTimestamp();
        if (classified.Results is not [{ Label: { } label, Scores: { } scores }])
        {
            throw new DownstreamException("tokenizer", DownstreamFailure.BadResponse, "expected exactly one result with label and scores");
        }

        foreach (var score in scores.Values)
        {
            if (!double.IsFinite(score))
            {
                throw new DownstreamException("tokenizer", DownstreamFailure.BadResponse, "a score is not a finite number");
            }
        }

        var timings = new AnalyzeTimings(
            Milliseconds(started, deidDone),
            Milliseconds(deidDone, classifyDone),
            Milliseconds(started, classifyDone));
        Log.NoteAnalyzed(logger, text.Length, spans.Count, timings.Total, requestId);

        return new AnalyzeResponse(
            requestId,
            classified.Model ?? new ModelInfo(null, null),
            label,
            scores,
            request.ReturnText == false ? null : new DeidentifiedNote(safeText, spans),
            timings);
    }

    /// <summary>
    /// Checks the deid answer against its contract (text present, spans inside the original, sorted and disjoint, replacements
    /// adding up to the returned text's length) and maps each span to where its replacement sits in the de-identified text.
    /// </summary>
    internal static (string Text, List<EntitySpan> Spans) CheckDeidAnswer(string original, DeidResponse answer)
    {
        if (answer.Text is not { } text)
        {
            throw new DownstreamException("deid", DownstreamFailure.BadResponse, "no text");
        }

        var entities = answer.Entities ?? [];
        // deid answers in order; sorting (and its allocations) is only for an answer that is not.
        if (!IsSortedByStart(entities))
        {
            entities = [.. entities.OrderBy(e => e.Start)];
        }

        var spans = new List<EntitySpan>(entities.Count);
        var delta = 0;
        var previousEnd = 0;
        for (var i = 0; i < entities.Count; i++)
        {
            var entity = entities[i];
            if (string.IsNullOrEmpty(entity.Type) || entity.Start < previousEnd || entity.End < entity.Start || entity.End > original.Length)
            {
                throw new DownstreamException("deid", DownstreamFailure.BadResponse, "entity span out of order or out of range");
            }

            var replacementLength = entity.Replacement?.Length ?? 0;
            var start = entity.Start + delta;
            spans.Add(new EntitySpan(entity.Type, start, start + replacementLength));
            delta += replacementLength - (entity.End - entity.Start);
            previousEnd = entity.End;
        }

        if (original.Length + delta != text.Length)
        {
            throw new DownstreamException("deid", DownstreamFailure.BadResponse, "replacements do not account for the returned text");
        }

        return (text, spans);
    }

    private static bool IsSortedByStart(IReadOnlyList<DeidEntity> entities)
    {
        for (var i = 1; i < entities.Count; i++)
        {
            if (entities[i].Start < entities[i - 1].Start)
            {
                return false;
            }
        }

        return true;
    }

    private double Milliseconds(long from, long to) => Math.Round(timeProvider.GetElapsedTime(from, to).TotalMilliseconds, 3);
}
