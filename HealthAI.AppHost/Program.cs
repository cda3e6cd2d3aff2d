using HealthAI.AppHost;
using HealthAI.AppHost.ApplicationModel;

var builder = DistributedApplication.CreateBuilder(args);

// Secrets: generated once into .healthai/ for local runs; supplied by azd/aspirate/Kubernetes Secrets when deployed.
var surrogateKey = builder.AddParameter("deid-surrogate-key", secret: true).WithGeneratedDevelopmentValue(DevelopmentValues.Base64Key);
var jwtSigningKey = builder.AddParameter("jwt-signing-key", secret: true).WithGeneratedDevelopmentValue(DevelopmentValues.Base64Key);
var jwtIssuer = builder.AddParameter("jwt-issuer", "dotnet-user-jwts");
var jwtAudience = builder.AddParameter("jwt-audience", "healthai-gateway");
var jwtKeyId = builder.AddParameter("jwt-signing-key-id", "healthai-dev");

var triton = builder.AddTriton("triton", modelRepository: "models")
    .WithModelConfiguration("distilbert-sst2", TritonModelConfiguration.DistilBertSst2)
    .WithReplicas(min: 2, max: 10, targetCpuUtilization: 60, targetGpuUtilization: 60)
    .WithComputeResources(cpuRequest: "2", memoryRequest: "4Gi", cpuLimit: "4", memoryLimit: "8Gi");

var deid = builder.AddProject<Projects.HealthAI_Deid>("deid")
    .WithHttpEndpoint(port: 5081)
    .WithEnvironment("HealthAI__Deid__SurrogateKey", surrogateKey)
    .WithServiceProbes();

var tokenizer = builder.AddProject<Projects.HealthAI_Tokenizer>("tokenizer")
    .WithHttpEndpoint(port: 5082)
    .WithReference(triton).WaitFor(triton)
    .WithServiceProbes();

builder.AddProject<Projects.HealthAI_Gateway>("gateway")
    .WithHttpEndpoint(port: 5080)
    .WithExternalHttpEndpoints()
    .WithReference(deid).WaitFor(deid)
    .WithReference(tokenizer).WaitFor(tokenizer)
    .WithReference(triton)
    .WithJwtBearer(jwtIssuer, jwtAudience, jwtSigningKey, jwtKeyId)
    .WithServiceProbes();

builder.Build().Run();
