using System.Text;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// What a docker credential helper (<c>docker-credential-NAME get</c>) that exited 0 printed:
/// <c>{"ServerURL","Username","Secret"}</c>, decoded as UTF-8 as the runner decodes it. No helper
/// runs: the bytes go to the parse the runner hands the output to. Handled:
/// <see cref="RegistryException"/> (documented on Get: an answer that is no login, an identity token).
/// </summary>
internal static class CredentialHelperTarget
{
    private const string What = "credential helper docker-credential-fuzz (credHelpers of registry.test)";

    public static FuzzTarget Target { get; } =
        FuzzTarget.Catching<RegistryException>("credential-helper", input => CredentialHelper.ParseAnswer(Encoding.UTF8.GetString(input), What));
}
