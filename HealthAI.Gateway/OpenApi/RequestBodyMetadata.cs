namespace HealthAI.Gateway.OpenApi;

/// <summary>
/// Documents a request body whose media types come from the route table (<c>Gateway:Routes</c>). The handler reads the body
/// itself, and <c>Accepts</c> metadata is not used because routing would then answer 415 from code rather than configuration.
/// </summary>
public sealed record RequestBodyMetadata(Type BodyType);

/// <summary>Adds <see cref="RequestBodyMetadata"/>.</summary>
public static class RequestBodyMetadataExtensions
{
    /// <summary>Documents <typeparamref name="T"/> as the request body in the media types the route table allows.</summary>
    public static RouteHandlerBuilder WithRequestBody<T>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new RequestBodyMetadata(typeof(T)));
}
