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

    private static async Task DescribeRequestBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var body = metadata.OfType<RequestBodyMetadata>().FirstOrDefault();
        var route = metadata.OfType<GatewayRouteMetadata>().FirstOrDefault();
        if (body is null || route is null)
        {
            return;
        }

        var routes = context.ApplicationServices.GetRequiredService<IOptions<GatewayRoutesOptions>>().Value.Routes;
        if (!routes.TryGetValue(route.RouteId, out var limits) || limits.ContentTypes.Count == 0)
        {
            return;
        }

        var schema = await context.GetOrCreateSchemaAsync(body.BodyType, cancellationToken: cancellationToken);
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
