using System.Security.Claims;

namespace HealthAI.Gateway.Authentication;

/// <summary>
/// Who is calling, for rate limiting and the audit trail: the OAuth2 client the token was issued to (<c>azp</c>, then
/// <c>client_id</c>, then Entra ID's <c>appid</c>), else the token's subject (<c>sub</c>).
/// </summary>
internal static class ClientIdentity
{
    /// <summary>The client id of an authenticated caller, or null. One pass over the claims, whatever their number.</summary>
    public static string? Of(ClaimsPrincipal user) => Of(user, out _);

    /// <summary>
    /// The client id and the token's issuer (<c>iss</c>). Client ids are only unique within an issuer: with several accepted
    /// issuers, the same id from two of them is two clients.
    /// </summary>
    public static string? Of(ClaimsPrincipal user, out string? issuer)
    {
        string? azp = null, clientId = null, appId = null, subject = null;
        issuer = null;
        foreach (var identity in user.Identities)
        {
            if (!identity.IsAuthenticated)
            {
                continue;
            }

            foreach (var claim in identity.Claims)
            {
                // The first claim of each type wins, as FindFirst would have it.
                switch (claim.Type)
                {
                    case "azp":
                        azp ??= claim.Value;
                        break;
                    case "client_id":
                        clientId ??= claim.Value;
                        break;
                    case "appid":
                        appId ??= claim.Value;
                        break;
                    case "sub":
                        subject ??= claim.Value;
                        break;
                    case "iss":
                        issuer ??= claim.Value;
                        break;
                }
            }
        }

        return azp ?? clientId ?? appId ?? subject;
    }
}
