using System.CommandLine;
using UpdateAgent.Trust;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Signing;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>update-agent bless IMAGE@DIGEST --key K -a stage=prod</c>: writes a cosign-compatible keyed
/// signature (<c>.sig</c> tag layout) so a release gate can bless with the same tool; <c>cosign
/// verify</c> accepts it. The key password comes from <c>COSIGN_PASSWORD</c>, as with cosign.
/// Exit codes: 0 signed, 2 usage or key error, 3 the registry failed.
/// </summary>
public static class BlessCommand
{
    /// <summary>Builds the <c>bless</c> command.</summary>
    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "Image to bless, pinned: registry/repository@sha256:…" };
        var key = new Option<string>("--key") { Description = "Private key file (cosign's encrypted key, or PEM PKCS#8/EC/RSA)", Required = true };
        var annotations = new Option<string[]>("--annotation", "-a") { Description = "Signed annotation key=value (repeatable), e.g. stage=prod", AllowMultipleArgumentsPerToken = false };
        var config = new Option<string?>("--config") { Description = "Trust policy whose [registries] settings to use" };
        var insecure = new Option<bool>("--allow-insecure-registry") { Description = "Reach the image's registry over plain HTTP" };
        var command = new Command("bless", "Sign an image digest with annotations, the way cosign does, so the policy's gate requirement is met")
        {
            image, key, annotations, config, insecure,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(image)!, parse.GetValue(key)!, parse.GetValue(annotations) ?? [], parse.GetValue(config), parse.GetValue(insecure),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string imageText, string keyPath, string[] annotationTexts, string? configPath, bool insecure,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        async Task<int> Fail(int code, string message)
        {
            await error.WriteLineAsync($"update-agent bless: {message}").ConfigureAwait(false);
            return code;
        }
        if (!ImageReference.TryParse(imageText, out var reference, out var parseError))
        {
            return await Fail(VerifyCommand.UsageError, parseError).ConfigureAwait(false);
        }
        if (reference.Digest is null)
        {
            return await Fail(VerifyCommand.UsageError, "bless signs a digest, never a tag: give IMAGE@sha256:…").ConfigureAwait(false);
        }
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in annotationTexts)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return await Fail(VerifyCommand.UsageError, $"annotation '{text}' is not key=value").ConfigureAwait(false);
            }
            annotations[text[..equals]] = text[(equals + 1)..];
        }
        RegistryClientOptions options;
        SigningKey key;
        try
        {
            options = configPath is null ? DefaultOptions() : PolicyOptions(configPath);
            key = SigningKey.FromPem(await File.ReadAllTextAsync(keyPath, cancellationToken).ConfigureAwait(false),
                Environment.GetEnvironmentVariable("COSIGN_PASSWORD") ?? string.Empty);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            return await Fail(VerifyCommand.UsageError, ex.Message).ConfigureAwait(false);
        }
        if (insecure)
        {
            options.InsecureRegistries.Add(reference.Registry);
        }
        using (key)
        {
            using var http = TrustServices.CreateHttpClient();
            var registry = new RegistryClient(http, options);
            try
            {
                var manifest = await new CosignSigner(registry).SignAsync(reference, key, annotations, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"{reference.Name}@{reference.Digest}: blessed ({string.Join(", ", annotations.Select(a => $"{a.Key}={a.Value}"))}); signature manifest {manifest}").ConfigureAwait(false);
                return 0;
            }
            catch (RegistryException ex)
            {
                return await Fail(ex.Failure == RegistryFailure.NotFound ? VerifyCommand.Refused : VerifyCommand.Undecided, ex.Message).ConfigureAwait(false);
            }
        }
    }

    private static RegistryClientOptions DefaultOptions()
    {
        var options = new RegistryClientOptions { Credentials = AuthFile.Load(AuthFile.DefaultPath(Environment.GetEnvironmentVariable)) };
        foreach (var registry in RegistriesConf.ReadInsecure(RegistriesConf.DefaultPath))
        {
            options.InsecureRegistries.Add(registry);
        }
        return options;
    }

    private static RegistryClientOptions PolicyOptions(string configPath)
    {
        var loaded = TrustPolicyLoader.Load(configPath);
        return loaded.Succeeded
            ? TrustServices.RegistryOptions(loaded.Policy!)
            : throw new FormatException(string.Join("\n", loaded.Errors));
    }
}
