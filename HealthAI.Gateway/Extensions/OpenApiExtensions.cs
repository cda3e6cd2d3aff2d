using HealthAI.Gateway.Limits;
using HealthAI.Gateway.OpenApi;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Microsoft.Extensions.Hosting;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c>, with the bearer scheme and each route's required scopes.</summary>
public static class GatewayOpenApiExtensions
{
    private const string SchemeName = "Bearer";

    /// <summary>Registers the document with its security transformers.</summary>
    public static IHostApplicationBuilder AddGatewayOpenApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "HealthAI Gateway";
                document.Info.Description = "Clinical note analysis behind OAuth2 bearer tokens. Errors are RFC 7807 ProblemDetails with 'requestId'.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "OAuth2 access token; scopes in 'scp' or 'scope'.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(DescribeRequestBodyAsync);
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // The PHI-safe error handler adds the request id to every ProblemDetails the gateway writes.
                if (context.JsonTypeInfo.Type.IsAssignableTo(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails)))
                {
                    schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
                    schema.Properties[ProblemDetailsExtensions.RequestIdKey] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "The request's trace id, also in the audit trail; quote it when reporting a problem.",
                    };
                }

                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, _, _) =>
            {
                // The probes are health-check endpoints, which API description leaves out; orchestrators and clients use them.
                document.Paths ??= new OpenApiPaths();
                document.Paths["/alive"] = Probe("Liveness: the process serves requests.");
                document.Paths["/health"] = Probe("Readiness: the process and the services it needs are healthy.");
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var scopes = new List<string>();
                var secured = false;
                foreach (var item in metadata)
                {
                    if (item is IAllowAnonymous)
                    {
                        return Task.CompletedTask;
                    }

                    if (item is IAuthorizeData authorize)
                    {
                        secured = true;
                        if (!string.IsNullOrEmpty(authorize.Policy))
                        {
                            scopes.Add(authorize.Policy);
                        }
                    }
                }

                if (secured)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = scopes,
                    });
                }

                return Task.CompletedTask;
            });
        });
        return builder;
    }

    private static OpenApiPathItem Probe(string summary) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                Summary = summary,
                Tags = new HashSet<OpenApiTagReference> { new("Probes") },
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse { Description = "Healthy." },
                    ["503"] = new OpenApiResponse { Description = "Unhealthy." },
                },
            },
        },
    };

    private static async Task DescribeRequestBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var body = metadata.OfType<RequestBodyMetadata>().FirstOrDefault();
        var route = metadata.OfType<GatewayRouteMetadata>().FirstOrDefault();
        if (route is null)
        {
            return;
        }

        var routes = context.ApplicationServices.GetRequiredService<IOptions<GatewayRoutesOptions>>().Value.Routes;
        if (!routes.TryGetValue(route.RouteId, out var limits) || limits.ContentTypes.Count == 0)
        {
            return;
        }

        // A forwarded route's body is the destination's contract: a JSON object, described there.
        var schema = body is null
            ? new OpenApiSchema { Type = JsonSchemaType.Object, Description = "As the destination service defines it." }
            : await context.GetOrCreateSchemaAsync(body.BodyType, cancellationToken: cancellationToken);
        var content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
        foreach (var mediaType in limits.ContentTypes)
        {
            // A text/plain body is the note itself.
            content[mediaType] = new OpenApiMediaType { Schema = mediaType.StartsWith("text/", StringComparison.Ordinal) ? new OpenApiSchema { Type = JsonSchemaType.String } : schema };
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = $"At most {limits.MaxRequestBodyBytes} bytes.",
            Content = content,
        };
    }
}
