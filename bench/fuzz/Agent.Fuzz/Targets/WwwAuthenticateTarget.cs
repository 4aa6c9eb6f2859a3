using System.Net;
using System.Text;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// A 401's <c>WWW-Authenticate</c> header value, answered as the registry client answers it: the
/// challenge is picked and parsed, the realm checked and the token URL built (the token service is
/// a stub that always hands out a token). The raw text also goes through the parameter parser
/// directly, since .NET's header parser refuses some text before the product sees it.
/// Handled: <see cref="RegistryException"/>.
/// </summary>
internal static class WwwAuthenticateTarget
{
    public static FuzzTarget Target { get; } = new("www-authenticate", "RegistryException", Run);

    private static readonly ImageReference Repository = ImageReference.Parse("registry.test/acme/app");

    private static readonly RegistryAuthenticator WithLogin = new(new RegistryClientOptions { Credentials = new OneLogin() }, TimeProvider.System);

    private static readonly RegistryAuthenticator Anonymous = new(new RegistryClientOptions(), TimeProvider.System);

    private static void Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        AuthChallenge.ParseParameters(text);
        using var unauthorized = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        if (!unauthorized.Headers.TryAddWithoutValidation("WWW-Authenticate", text))
        {
            return;
        }
        foreach (var authenticator in new[] { WithLogin, Anonymous })
        {
            try
            {
                authenticator.AnswerAsync(unauthorized, Repository, "pull", SendToken, null, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (RegistryException)
            {
            }
        }
    }

    private static Task<HttpResponseMessage> SendToken(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Dispose();
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent("""{"token":"t","expires_in":60}"""u8.ToArray()) });
    }

    private sealed class OneLogin : IRegistryCredentialStore
    {
        public RegistryCredentials? Find(string registry, string repository) => new("user", "secret");
    }
}
