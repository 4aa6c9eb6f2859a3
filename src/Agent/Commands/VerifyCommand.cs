using System.CommandLine;
using UpdateAgent.Trust;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>update-agent verify IMAGE [--config F] [--json]</c>: resolves the image, verifies it against the
/// trust policy and prints the verdict. Exit codes: 0 accepted, 1 refused, 2 usage or configuration
/// error, 3 could not decide.
/// </summary>
public static class VerifyCommand
{
    /// <summary>Exit code: every requirement holds.</summary>
    public const int Accepted = 0;

    /// <summary>Exit code: the policy refuses the image.</summary>
    public const int Refused = 1;

    /// <summary>Exit code: bad arguments or configuration.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code: could not decide (registry unreachable, failing or too slow).</summary>
    public const int Undecided = 3;

    /// <summary>Builds the <c>verify</c> command.</summary>
    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "Image to verify: registry/repository[:tag][@digest]" };
        var config = new Option<string>("--config") { Description = "Trust policy file", DefaultValueFactory = _ => TrustPolicyLoader.DefaultPath };
        var json = new Option<bool>("--json") { Description = "Print the verdict as JSON" };
        var command = new Command("verify", "Verify that an image is signed, blessed, from the right source and not older than what runs")
        {
            image, config, json,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(image)!, parse.GetValue(config)!, parse.GetValue(json),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string imageText, string configPath, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(imageText, out var reference, out var parseError))
        {
            await error.WriteLineAsync($"update-agent verify: {parseError}").ConfigureAwait(false);
            return UsageError;
        }
        var loaded = TrustPolicyLoader.Load(configPath);
        if (!loaded.Succeeded)
        {
            foreach (var problem in loaded.Errors)
            {
                await error.WriteLineAsync($"update-agent verify: {problem}").ConfigureAwait(false);
            }
            return UsageError;
        }
        using var http = TrustServices.CreateHttpClient(loaded.Policy?.CertsDirectories);
        RegistryClient registry;
        TrustVerifier verifier;
        try
        {
            (registry, verifier) = TrustServices.CreateVerifier(loaded.Policy!, http);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync($"update-agent verify: {ex.Message}").ConfigureAwait(false);
            return UsageError;
        }
        Verdict verdict;
        try
        {
            // A GET (not HEAD) resolves the tag: the manifest is then already at hand for verifying.
            var resolved = await registry.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
            verdict = await verifier.VerifyAsync(reference, resolved.Digest, running: null, cancellationToken).ConfigureAwait(false);
            verdict = verdict with { RegistryRequests = registry.RequestCount };
        }
        catch (RegistryException ex)
        {
            var reasons = new[] { VerdictReason.From(ex) };
            verdict = new Verdict { Image = reference.ToString(), Outcome = Verdict.OutcomeOf(reasons), Reasons = reasons, RegistryRequests = registry.RequestCount };
        }
        await output.WriteAsync(json ? VerdictJson.Serialize(verdict) + "\n" : Describe(verdict)).ConfigureAwait(false);
        return verdict.Outcome switch
        {
            VerdictOutcome.Accepted => Accepted,
            VerdictOutcome.Refused => Refused,
            _ => Undecided,
        };
    }

    private static string Describe(Verdict verdict)
    {
        var text = new System.Text.StringBuilder();
        text.Append(verdict.Image).Append(": ").AppendLine(verdict.Outcome switch
        {
            VerdictOutcome.Accepted => "accepted",
            VerdictOutcome.Refused => "refused",
            _ => "could not decide",
        });
        foreach (var reason in verdict.Reasons)
        {
            text.Append("  reason  ").Append(reason.Code).Append(": ").AppendLine(reason.Message);
        }
        foreach (var signer in verdict.Signers)
        {
            text.Append("  signer  ").Append(signer.Authority).Append(" (").Append(signer.Identity)
                .Append(signer.Issuer is null ? string.Empty : ", " + signer.Issuer).Append(") in ").AppendLine(signer.Origin);
        }
        foreach (var (key, value) in verdict.SignedAnnotations.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            text.Append("  signed  ").Append(key).Append('=').AppendLine(value);
        }
        if (verdict.Facts is { } facts)
        {
            text.Append("  source  ").AppendLine(facts.Source ?? "(none)");
            text.Append("  created ").AppendLine(facts.Created?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "(unknown)");
            if (facts.Version is not null)
            {
                text.Append("  version ").AppendLine(facts.Version);
            }
        }
        return text.ToString();
    }
}
