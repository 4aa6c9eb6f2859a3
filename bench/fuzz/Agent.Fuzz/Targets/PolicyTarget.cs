using System.Text;
using UpdateAgent.Trust.Policy;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// The trust policy TOML. Relative key and root paths resolve in <c>policy-files/</c> beside the
/// harness (it holds the cosign.pub the seeds name). Handled: nothing may escape; every problem
/// is a <see cref="PolicyError"/> in the result.
/// </summary>
internal static class PolicyTarget
{
    public static FuzzTarget Target { get; } = new("policy", "none: problems are PolicyErrors in the result", Run);

    private static readonly string BaseDirectory = Path.Combine(AppContext.BaseDirectory, "policy-files");

    private static void Run(byte[] input) =>
        TrustPolicyLoader.Parse(Encoding.UTF8.GetString(input), "fuzz/policy.toml", BaseDirectory);
}
