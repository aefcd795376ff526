namespace Nova.Api.Http;

/// <summary>
/// Query parameters and route values PostgreSQL could not compare or store (a NUL, an unpaired surrogate) are 400
/// here, once, rather than an error from the database in whichever handler meets them first.
/// </summary>
public sealed class RequestTextMiddleware(RequestDelegate next)
{
    public Task Invoke(HttpContext http)
    {
        foreach (var (key, values) in http.Request.Query)
        {
            if (!StorableText.IsStorable(key) || values.Any(v => v is not null && !StorableText.IsStorable(v)))
                throw Refused($"Invalid input for query parameters {Printable(key)}");
        }
        foreach (var (key, value) in http.Request.RouteValues)
            if (value is string text && !StorableText.IsStorable(text)) throw Refused($"Invalid input for path parameter {key}");
        return next(http);
    }

    private static NovaError Refused(string what) =>
        NovaError.BadRequest($"{what}. Value: contains a NUL character or an unpaired UTF-16 surrogate.");

    private static string Printable(string name) => StorableText.IsStorable(name) ? name : "(unprintable)";
}
