using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace HealthAI.InferenceServer.Tests;

public sealed class HttpProtocolTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Http => fixture.Http;

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string fragment)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await Json(response);
        Assert.Equal([ "error" ], body.EnumerateObject().Select(p => p.Name));
        Assert.Contains(fragment, body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_endpoints_answer_with_status_and_empty_body()
    {
        foreach (var path in new[] { "/v2/health/live", "/v2/health/ready" })
        {
            using var response = await Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Server_metadata_advertises_binary_tensors()
    {
        var body = await Json(await Http.GetAsync("/v2"));

        Assert.Equal("triton", body.GetProperty("name").GetString());
        Assert.Contains("binary_tensor_data", body.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Model_metadata_prepends_the_batch_dimension()
    {
        var body = await Json(await Http.GetAsync("/v2/models/simple"));

        Assert.Equal("identity", body.GetProperty("platform").GetString());
        Assert.Equal(["1"], body.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal([-1L, -1L], body.GetProperty("inputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));

        var unbatched = await Json(await Http.GetAsync("/v2/models/strings/versions/1"));
        Assert.Equal([2L], unbatched.GetProperty("inputs")[1].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
    }

    [Fact]
    public async Task Model_ready_is_200_or_400_with_triton_error()
    {
        using var ready = await Http.GetAsync("/v2/models/simple/versions/1/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        await AssertError(await Http.GetAsync("/v2/models/simple/versions/7/ready"), HttpStatusCode.BadRequest, "Model version not ready");
        await AssertError(await Http.GetAsync("/v2/models/broken/ready"), HttpStatusCode.BadRequest, "Model version not ready");
    }

    [Fact]
    public async Task Model_config_is_triton_json()
    {
        var body = await Json(await Http.GetAsync("/v2/models/simple/config"));

        Assert.Equal(8, body.GetProperty("max_batch_size").GetInt32());
        Assert.Equal("TYPE_INT64", body.GetProperty("input")[0].GetProperty("data_type").GetString());
        Assert.Equal(100, body.GetProperty("dynamic_batching").GetProperty("max_queue_delay_microseconds").GetInt64());
    }

    [Fact]
    public async Task Json_infer_echoes_the_id_and_returns_json_data()
    {
        using var response = await Http.PostAsync("/v2/models/simple/infer", Body(
            """{"id":"req-7","inputs":[{"name":"INPUT0","shape":[2,3],"datatype":"INT64","data":[[1,2,3],[4,5,6]]}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json(response);
        Assert.Equal("simple", body.GetProperty("model_name").GetString());
        Assert.Equal("1", body.GetProperty("model_version").GetString());
        Assert.Equal("req-7", body.GetProperty("id").GetString());
        var output = body.GetProperty("outputs")[0];
        Assert.Equal("OUTPUT0", output.GetProperty("name").GetString());
        Assert.Equal([2L, 3L], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal([1L, 2, 3, 4, 5, 6], output.GetProperty("data").EnumerateArray().Select(d => d.GetInt64()));
    }

    [Fact]
    public async Task Response_has_no_id_when_the_request_had_none()
    {
        var body = await Json(await Http.PostAsync("/v2/models/simple/infer", Body(
            """{"inputs":[{"name":"INPUT0","shape":[1,1],"datatype":"INT64","data":[9]}]}""")));

        Assert.False(body.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Binary_tensor_extension_round_trips()
    {
        var header = """{"inputs":[{"name":"INPUT0","shape":[1,3],"datatype":"INT64","parameters":{"binary_data_size":24}}],"outputs":[{"name":"OUTPUT0","parameters":{"binary_data":true}}]}""";
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var payload = new byte[headerBytes.Length + 24];
        headerBytes.CopyTo(payload, 0);
        for (var i = 0; i < 3; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(headerBytes.Length + (i * 8)), 100 + i);
        }

        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", headerBytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await Http.PostAsync("/v2/models/simple/infer", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var json = JsonDocument.Parse(bytes.AsMemory(0, jsonLength)).RootElement;
        var output = json.GetProperty("outputs")[0];
        Assert.Equal(24, output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.False(output.TryGetProperty("data", out _));
        Assert.Equal(jsonLength + 24, bytes.Length);
        Assert.Equal(102, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(jsonLength + 16)));
    }

    [Fact]
    public async Task Request_level_binary_data_output_applies_to_every_output()
    {
        using var response = await Http.PostAsync("/v2/models/strings/infer", Body(
            """{"parameters":{"binary_data_output":true},"inputs":[{"name":"TEXT","shape":[2],"datatype":"BYTES","data":["ab","çd"]},{"name":"SCORE","shape":[2],"datatype":"FP32","data":[0.5,1.5]}]}"""));

        var bytes = await response.Content.ReadAsByteArrayAsync();
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var outputs = JsonDocument.Parse(bytes.AsMemory(0, jsonLength)).RootElement.GetProperty("outputs");
        var textSize = outputs[0].GetProperty("parameters").GetProperty("binary_data_size").GetInt32();
        var text = bytes.AsSpan(jsonLength, textSize);

        Assert.Equal(4 + 2 + 4 + 3, textSize);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(text));
        Assert.Equal("çd", Encoding.UTF8.GetString(text.Slice(10, 3)));
        Assert.Equal(1.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(jsonLength + textSize + 4)));
    }

    [Fact]
    public async Task Bytes_tensors_come_back_as_json_strings_and_requested_outputs_are_honoured()
    {
        var body = await Json(await Http.PostAsync("/v2/models/strings/infer", Body(
            """{"inputs":[{"name":"TEXT","shape":[2],"datatype":"BYTES","data":["hello","wörld"]},{"name":"SCORE","shape":[2],"datatype":"FP32","data":[0.25,2]}],"outputs":[{"name":"TEXT_OUT"}]}""")));

        var output = Assert.Single(body.GetProperty("outputs").EnumerateArray());
        Assert.Equal("BYTES", output.GetProperty("datatype").GetString());
        Assert.Equal(["hello", "wörld"], output.GetProperty("data").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"INPUT0","shape":[1,2],"datatype":"INT32","data":[1,2]}]}""", "data-type is 'INT32', but model 'simple' expects 'INT64'")]
    [InlineData("""{"inputs":[{"name":"INPUT0","shape":[9,1],"datatype":"INT64","data":[1,2,3,4,5,6,7,8,9]}]}""", "batch-size must be <= 8")]
    [InlineData("""{"inputs":[{"name":"INPUT0","shape":[1,3],"datatype":"INT64","data":[1,2]}]}""", "shape [1,3] needs 3, data holds 2")]
    [InlineData("""{"inputs":[{"name":"INPUT0","shape":[1,2,2],"datatype":"INT64","data":[1,2,3,4]}]}""", "unexpected shape for input 'INPUT0'")]
    [InlineData("""{"inputs":[{"name":"OTHER","shape":[1,1],"datatype":"INT64","data":[1]}]}""", "expected input 'INPUT0'")]
    [InlineData("""{"inputs":[{"name":"INPUT0","shape":[1,1],"datatype":"INT64","data":[1]}],"outputs":[{"name":"NOPE"}]}""", "unexpected inference output 'NOPE'")]
    [InlineData("""{"inputs":[{"name":"INPUT0","shape":[1,1],"datatype":"INT64","data":["x"]}]}""", "not a valid INT64 value")]
    [InlineData("""{"inputs": [""", "failed to parse the request JSON buffer")]
    public async Task Bad_requests_get_400_with_triton_error(string json, string fragment) =>
        await AssertError(await Http.PostAsync("/v2/models/simple/infer", Body(json)), HttpStatusCode.BadRequest, fragment);

    [Fact]
    public async Task Inference_header_length_outside_the_body_is_rejected()
    {
        using var content = Body("""{"inputs":[]}""");
        content.Headers.Add("Inference-Header-Content-Length", "5000");

        await AssertError(await Http.PostAsync("/v2/models/simple/infer", content), HttpStatusCode.BadRequest, "inference header size should be in range");
    }

    [Fact]
    public async Task Unknown_models_paths_and_verbs_answer_like_triton()
    {
        await AssertError(await Http.PostAsync("/v2/models/nope/infer", Body("""{"inputs":[]}""")), HttpStatusCode.NotFound, "Request for unknown model: 'nope' is not found");
        await AssertError(await Http.GetAsync("/v2/models/nope"), HttpStatusCode.NotFound, "unknown model");
        await AssertError(await Http.GetAsync("/v2/nothing/here"), HttpStatusCode.NotFound, "Not Found");
        await AssertError(await Http.DeleteAsync("/v2/health/live"), HttpStatusCode.MethodNotAllowed, "Method Not Allowed");
    }

    [Fact]
    public async Task Broken_model_is_unavailable_with_file_line_and_column_and_the_rest_loads()
    {
        using var response = await Http.PostAsync("/v2/repository/index", Body("{}"));
        var index = (await Json(response)).EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);

        Assert.Equal("READY", index["simple"].GetProperty("state").GetString());
        Assert.Equal("UNAVAILABLE", index["broken"].GetProperty("state").GetString());
        Assert.Matches(@"broken[/\\]config\.pbtxt:3:17: ", index["broken"].GetProperty("reason").GetString());

        var readyOnly = await Json(await Http.PostAsync("/v2/repository/index", Body("""{"ready":true}""")));
        Assert.DoesNotContain("broken", readyOnly.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Load_and_unload_are_refused_outside_explicit_mode() =>
        await AssertError(await Http.PostAsync("/v2/repository/models/simple/unload", null), HttpStatusCode.ServiceUnavailable,
            "not allowed if model control mode is not EXPLICIT");

    [Fact]
    public async Task Statistics_and_metrics_count_requests_and_executions()
    {
        using (await Http.PostAsync("/v2/models/simple/infer", Body("""{"inputs":[{"name":"INPUT0","shape":[2,1],"datatype":"INT64","data":[1,2]}]}""")))
        {
        }

        var stats = (await Json(await Http.GetAsync("/v2/models/simple/stats"))).GetProperty("model_stats")[0];
        Assert.True(stats.GetProperty("inference_count").GetInt64() >= 2);
        Assert.True(stats.GetProperty("execution_count").GetInt64() >= 1);
        Assert.True(stats.GetProperty("inference_stats").GetProperty("success").GetProperty("count").GetInt64() >= 1);

        using var metricsClient = new HttpClient { BaseAddress = fixture.Server.MetricsAddress };
        var metrics = await metricsClient.GetStringAsync("/metrics");
        Assert.Matches(@"nv_inference_request_success\{model=""simple"",version=""1""\} [1-9]", metrics);
        Assert.Contains("nv_inference_request_failure{model=\"simple\",reason=\"REJECTED\",version=\"1\"}", metrics, StringComparison.Ordinal);
        foreach (var name in new[] { "nv_inference_count", "nv_inference_exec_count", "nv_inference_pending_request_count",
                     "nv_inference_request_duration_us", "nv_inference_queue_duration_us", "nv_inference_compute_input_duration_us",
                     "nv_inference_compute_infer_duration_us", "nv_inference_compute_output_duration_us", "nv_cpu_utilization",
                     "nv_cpu_memory_total_bytes", "nv_cpu_memory_used_bytes" })
        {
            Assert.Contains($"# TYPE {name} ", metrics, StringComparison.Ordinal);
        }

        using var notMetrics = await metricsClient.GetAsync("/v2/health/live");
        Assert.Equal(HttpStatusCode.NotFound, notMetrics.StatusCode);
    }

    [Fact]
    public async Task Tensor_contents_never_reach_logs_or_error_messages()
    {
        const string Canary = "CANARY-PATIENT-Jane-Q-Doe-MRN-99887766";
        using var response = await Http.PostAsync("/v2/models/strings/infer", Body(
            $$"""{"inputs":[{"name":"TEXT","shape":[3],"datatype":"BYTES","data":["{{Canary}}"]},{"name":"SCORE","shape":[2],"datatype":"FP32","data":[1,2]}]}"""));
        var error = await response.Content.ReadAsStringAsync();
        using var ok = await Http.PostAsync("/v2/models/strings/infer", Body(
            $$"""{"inputs":[{"name":"TEXT","shape":[1],"datatype":"BYTES","data":["{{Canary}}"]},{"name":"SCORE","shape":[2],"datatype":"FP32","data":[1,2]}]}"""));
        using var badJson = await Http.PostAsync("/v2/models/strings/infer", Body($$"""{"inputs":[{{Canary}}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.DoesNotContain(Canary, error, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, await badJson.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEmpty(fixture.Logs.Lines);
        Assert.DoesNotContain(fixture.Logs.Lines, line => line.Contains(Canary, StringComparison.Ordinal));
    }
}
