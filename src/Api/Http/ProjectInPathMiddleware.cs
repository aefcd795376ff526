using System.Text.RegularExpressions;
using Nova.Commands.Requests;

namespace Nova.Api.Http;

/// <summary>
/// Nova's older URL form, <c>/v2.1/{project_id}/…</c>, for every route under /v2.1 (Nova's <c>ProjectMapper</c> maps
/// each route twice): the project id is taken off the path before routing, so every route has both forms with no
/// route of its own. As in Nova, the segment is a project id only when it is hex digits and dashes (no compute
/// collection is), and one that is not the token's project is 400. Links in the answer keep the client's form
/// (<see cref="Links"/>).
/// </summary>
public sealed partial class ProjectInPathMiddleware(RequestDelegate next)
{
    private const string ItemKey = "nova.url_project_id";

    [GeneratedRegex("^/v2\\.1/(?<project>[0-9a-f-]+)(?<rest>/.*)?$")]
    private static partial Regex ProjectForm();

    public Task Invoke(HttpContext http, Caller caller)
    {
        if (http.Request.Path.Value is not { } path || ProjectForm().Match(path) is not { Success: true } form) return next(http);
        var project = form.Groups["project"].Value;
        if (project != caller.ProjectId)
            return NovaError.Write(http, 400,
                $"Malformed request URL: URL's project_id '{project}' doesn't match Context's project_id '{caller.ProjectId}'");
        http.Items[ItemKey] = project;
        http.Request.Path = "/v2.1" + (form.Groups["rest"].Success ? form.Groups["rest"].Value : "/");
        return next(http);
    }

    /// <summary>The project id the client put in the path, or null.</summary>
    public static string? ProjectOf(HttpContext http) => http.Items.TryGetValue(ItemKey, out var project) ? project as string : null;
}
