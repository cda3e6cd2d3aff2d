using Microsoft.AspNetCore.Authorization;
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
}
