using Nova.Keystone;

namespace Nova.Api.Identity;

/// <summary>
/// <c>Nova:Auth:Strategy</c> chooses who the caller is: <c>keystone</c> (with <c>Nova:Auth:Keystone:*</c>) or
/// <c>noauth2</c> (development only). Keystone settings without the keystone strategy are a mistake that would
/// believe every token, so the process refuses to start rather than fall back.
/// </summary>
public static class IdentitySetup
{
    public const string Keystone = "keystone";
    public const string NoAuth2 = "noauth2";

    public static IServiceCollection AddCallerAuthentication(this IServiceCollection services, IConfiguration config)
    {
        var strategy = config["Nova:Auth:Strategy"] ?? NoAuth2;
        var keystoneSection = config.GetSection("Nova:Auth:Keystone");
        switch (strategy)
        {
            case NoAuth2:
                if (!string.IsNullOrEmpty(keystoneSection["Url"]))
                    throw new InvalidOperationException(
                        "Nova:Auth:Keystone:Url is set but Nova:Auth:Strategy is not 'keystone': set the strategy to keystone, or remove the Keystone settings to run with noauth2 (development only)");
                services.AddSingleton<ICallerAuthentication, NoAuth2>();
                break;
            case Keystone:
                var settings = keystoneSection.Get<KeystoneSettings>() ?? new KeystoneSettings();
                settings.Validate();
                services.AddSingleton(settings);
                services.AddSingleton(sp => new KeystoneClient(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, settings));
                services.AddSingleton<ServiceToken>();
                services.AddSingleton<ICallerAuthentication, KeystoneAuthentication>();
                break;
            default:
                throw new InvalidOperationException($"Nova:Auth:Strategy must be '{Keystone}' or '{NoAuth2}', not '{strategy}'");
        }
        return services;
    }
}
