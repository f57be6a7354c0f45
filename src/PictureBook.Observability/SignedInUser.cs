using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace PictureBook.Observability;

/// <summary>The id of the user a request was authenticated as, for metrics, logs and error reports.</summary>
internal static class SignedInUser
{
    /// <summary>
    /// The user id, or null for an anonymous request. Read through the authentication feature: HttpContext.User would
    /// allocate an empty principal for every anonymous request, and this runs on every request.
    /// </summary>
    public static string? Id(HttpContext context) =>
        context.Features.Get<IHttpAuthenticationFeature>()?.User?.FindFirstValue(ClaimTypes.NameIdentifier);
}
