using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Execution;

/// <summary>
/// Triton's <c>identity</c> backend (<c>backend: "identity"</c>): output <c>i</c> is a copy of input <c>i</c>. Triton ships it for
/// protocol testing; here it measures the server's fixed cost without model compute and lets protocol tests run real requests.
/// </summary>
public sealed class IdentityBackend : IModelBackend
{
    public const string Name = "identity";

    public bool Supports(ModelConfig config) => string.Equals(config.Backend, Name, StringComparison.Ordinal);

    public IModelInstance CreateInstance(ModelLoadContext context, int instanceIndex) => new Instance(context.Config);

    private sealed class Instance(ModelConfig config) : IModelInstance
    {
        public IReadOnlyList<InferTensor> Execute(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
        {
            var results = new InferTensor[outputNames.Count];
            for (var i = 0; i < outputNames.Count; i++)
            {
                var outputIndex = IndexOfOutput(outputNames[i]);
                var input = inputs.First(t => t.Name == config.Input[outputIndex].Name);
                results[i] = input with { Name = outputNames[i], Datatype = TritonDataType.FromConfig(config.Output[outputIndex].DataType) };
            }

            return results;
        }

        private int IndexOfOutput(string name)
        {
            for (var i = 0; i < config.Output.Count; i++)
            {
                if (config.Output[i].Name == name)
                {
                    return i;
                }
            }

            throw new InferenceException(TritonErrorKind.Internal, $"identity model has no output '{name}'");
        }

        public void Dispose()
        {
        }
    }
}
