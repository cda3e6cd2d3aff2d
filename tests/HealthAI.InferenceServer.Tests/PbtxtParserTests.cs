using HealthAI.InferenceServer.ModelConfiguration;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Tests;

public class PbtxtParserTests
{
    private const string DistilBert = """
        name: "distilbert-sst2"
        platform: "onnxruntime_onnx"
        max_batch_size: 32   # trailing comment
        input [
          { name: "input_ids" data_type: TYPE_INT64 dims: [ -1 ] },
          { name: "attention_mask", data_type: TYPE_INT64, dims: [ -1 ] }
        ]
        output { name: "logits" data_type: TYPE_FP32 dims: [ 2 ] label_filename: "labels.txt" }
        dynamic_batching {
          preferred_batch_size: [ 8, 16 ]
          preferred_batch_size: 32
          max_queue_delay_microseconds: 2000
          preserve_ordering: true
          default_queue_policy { timeout_action: DELAY default_timeout_microseconds: 500 max_queue_size: 64 allow_timeout_override: true }
        }
        instance_group [ { count: 2 kind: KIND_CPU } ]
        version_policy: { specific { versions: [1, 3] } }
        parameters { key: "intra_op_thread_count" value: { string_value: "1" } }
        parameters [ { key: "pad_to_longest" value < string_value: 'true' > } ]
        """;

    [Fact]
    public void Reads_every_field_the_server_uses()
    {
        var result = PbtxtParser.Parse<ModelConfig>(DistilBert, "config.pbtxt");
        var config = result.Message;

        Assert.Empty(result.UnknownFields);
        Assert.Equal("distilbert-sst2", config.Name);
        Assert.Equal("onnxruntime_onnx", config.Platform);
        Assert.Equal(32, config.MaxBatchSize);
        Assert.Equal(["input_ids", "attention_mask"], config.Input.Select(i => i.Name));
        Assert.All(config.Input, i => Assert.Equal(DataType.TypeInt64, i.DataType));
        Assert.Equal([-1L], config.Input[1].Dims);
        Assert.Equal("labels.txt", config.Output[0].LabelFilename);
        Assert.Equal([2L], config.Output[0].Dims);
        Assert.Equal([8, 16, 32], config.DynamicBatching.PreferredBatchSize);
        Assert.Equal(2000UL, config.DynamicBatching.MaxQueueDelayMicroseconds);
        Assert.True(config.DynamicBatching.PreserveOrdering);
        var policy = config.DynamicBatching.DefaultQueuePolicy;
        Assert.Equal(ModelQueuePolicy.Types.TimeoutAction.Delay, policy.TimeoutAction);
        Assert.Equal(500UL, policy.DefaultTimeoutMicroseconds);
        Assert.Equal(64U, policy.MaxQueueSize);
        Assert.True(policy.AllowTimeoutOverride);
        Assert.Equal(2, config.InstanceGroup[0].Count);
        Assert.Equal(ModelInstanceGroup.Types.Kind.Cpu, config.InstanceGroup[0].Kind);
        Assert.Equal([1L, 3L], config.VersionPolicy.Specific.Versions);
        Assert.Equal("1", config.Parameters["intra_op_thread_count"].StringValue);
        Assert.Equal("true", config.Parameters["pad_to_longest"].StringValue);
    }

    [Fact]
    public void Unknown_fields_are_kept_with_their_position()
    {
        var text = "name: \"m\"\nbackend: \"identity\"\noptimization { graph { level: 1 } }\nmodel_warmup [ { name: \"w\" } ]\n";
        var result = PbtxtParser.Parse<ModelConfig>(text, "m/config.pbtxt");

        Assert.Equal(["optimization", "model_warmup"], result.UnknownFields.Select(f => f.Path));
        Assert.Equal(3, result.UnknownFields[0].Line);
        Assert.Equal(1, result.UnknownFields[0].Column);
        Assert.Contains("level : 1", result.UnknownFields[0].Text, StringComparison.Ordinal);
        Assert.Equal("identity", result.Message.Backend);
    }

    [Theory]
    [InlineData("name: \"m\"\nmax_batch_size: lots\n", 2, 17, "expected a number")]
    [InlineData("name: \"m\"\nmax_batch_size: 99999999999\n", 2, 17, "not a valid int32")]
    [InlineData("name: \"m\"\ninput [ { name: \"x\" data_type: TYPE_NOPE } ]\n", 2, 32, "unknown value 'TYPE_NOPE'")]
    [InlineData("input { name: \"x\"\n", 2, 1, "expected '}' before end of file")]
    [InlineData("name \"m\"\n", 1, 6, "expected ':' after 'name'")]
    [InlineData("name: \"m\n", 1, 7, "unterminated string")]
    [InlineData("max_batch_size: 4 }\n", 1, 19, "expected a field name")]
    [InlineData("name: [\"a\"]\n", 1, 7, "not repeated")]
    public void Malformed_input_names_file_line_and_column(string text, int line, int column, string reason)
    {
        var ex = Assert.Throws<PbtxtException>(() => PbtxtParser.Parse<ModelConfig>(text, "repo/m/config.pbtxt"));

        Assert.Equal(line, ex.Line);
        Assert.Equal(column, ex.Column);
        Assert.StartsWith($"repo/m/config.pbtxt:{line}:{column}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_fills_triton_defaults()
    {
        var config = PbtxtParser.Parse<ModelConfig>(
            "platform: \"onnxruntime_onnx\" max_batch_size: 16 input { name: \"a\" data_type: TYPE_FP32 dims: [1] } output { name: \"b\" data_type: TYPE_FP32 dims: [1] } dynamic_batching { }",
            "x").Message;

        ModelConfigLoader.Normalize(config, "m", "x");

        Assert.Equal("m", config.Name);
        Assert.Equal("onnxruntime", config.Backend);
        Assert.Equal([16], config.DynamicBatching.PreferredBatchSize);
        Assert.Equal(1U, config.VersionPolicy.Latest.NumVersions);
        Assert.Equal(2, config.InstanceGroup[0].Count);
        Assert.Equal("model.onnx", config.DefaultModelFilename);
    }

    [Theory]
    [InlineData("name: \"other\" backend: \"identity\" input { name: \"a\" data_type: TYPE_FP32 dims: [1] }", "does not match the model directory")]
    [InlineData("backend: \"identity\" max_batch_size: 0 dynamic_batching { }", "dynamic_batching needs max_batch_size above 0")]
    [InlineData("backend: \"identity\" max_batch_size: 4 dynamic_batching { preferred_batch_size: 8 }", "preferred_batch_size 8")]
    [InlineData("backend: \"identity\" input { name: \"a\" data_type: TYPE_FP32 }", "at least one dimension")]
    [InlineData("max_batch_size: 1", "neither platform nor backend")]
    public void Normalize_rejects_what_triton_rejects(string text, string reason)
    {
        var config = PbtxtParser.Parse<ModelConfig>(text, "x").Message;

        var ex = Assert.Throws<InvalidDataException>(() => ModelConfigLoader.Normalize(config, "m", "m/config.pbtxt"));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("m/config.pbtxt: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_json_uses_proto_names_enum_names_and_numeric_int64()
    {
        var config = PbtxtParser.Parse<ModelConfig>(DistilBert, "x").Message;

        using var json = System.Text.Json.JsonDocument.Parse(ModelConfigJson.ToUtf8(config));
        var root = json.RootElement;

        Assert.Equal(32, root.GetProperty("max_batch_size").GetInt32());
        Assert.Equal("TYPE_INT64", root.GetProperty("input")[0].GetProperty("data_type").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, root.GetProperty("input")[0].GetProperty("dims")[0].ValueKind);
        Assert.Equal(2000, root.GetProperty("dynamic_batching").GetProperty("max_queue_delay_microseconds").GetInt64());
        Assert.Equal("KIND_CPU", root.GetProperty("instance_group")[0].GetProperty("kind").GetString());
        Assert.Equal("1", root.GetProperty("parameters").GetProperty("intra_op_thread_count").GetProperty("string_value").GetString());
        Assert.False(root.GetProperty("input")[0].GetProperty("optional").GetBoolean());
    }
}
