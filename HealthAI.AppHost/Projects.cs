using HealthAI.AppHost.ApplicationModel;

#pragma warning disable CA1707 // Aspire names generated project types after the project, dots becoming underscores.
namespace Projects;

/// <summary>The projects the AppHost runs, named as Aspire's generated `Projects.*` types are.</summary>
public sealed class HealthAI_Gateway : IProjectMetadata
{
    public string ProjectPath => "HealthAI.Gateway/HealthAI.Gateway.csproj";

    public string AssemblyName => "HealthAI.Gateway";
}

public sealed class HealthAI_Deid : IProjectMetadata
{
    public string ProjectPath => "HealthAI.Deid/HealthAI.Deid.csproj";

    public string AssemblyName => "HealthAI.Deid";
}

public sealed class HealthAI_Tokenizer : IProjectMetadata
{
    public string ProjectPath => "HealthAI.Tokenizer/HealthAI.Tokenizer.csproj";

    public string AssemblyName => "HealthAI.Tokenizer";
}

public sealed class HealthAI_InferenceServer : IProjectMetadata
{
    public string ProjectPath => "HealthAI.InferenceServer/HealthAI.InferenceServer.csproj";

    public string AssemblyName => "HealthAI.InferenceServer";
}
