using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Registry;

/// <summary>
/// Asks a docker credential helper (<c>docker-credential-NAME get</c>, the registry on its standard
/// input, <c>{"Username","Secret"}</c> on its output) for a registry's login, as podman does for an
/// auth file's <c>credHelpers</c> entry. The helper runs with a deadline, its answer is bounded, and
/// a secret never reaches a message.
/// </summary>
public sealed partial class CredentialHelper
{
    private const int MaxAnswerBytes = 64 * 1024;
    private readonly Func<string, string?> _locate;
    private readonly TimeSpan _timeout;

    /// <summary>A runner that finds <c>docker-credential-NAME</c> with <paramref name="locate"/> (the PATH by default).</summary>
    public CredentialHelper(Func<string, string?>? locate = null, TimeSpan? timeout = null)
    {
        _locate = locate ?? OnPath;
        _timeout = timeout ?? TimeSpan.FromSeconds(15);
    }

    /// <summary>The runner podman's lookup would use: helpers on the PATH.</summary>
    public static CredentialHelper Default { get; } = new();

    /// <summary>Whether <paramref name="name"/> can name a helper (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>; never a path).</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>The login helper <paramref name="name"/> gives for <paramref name="registry"/>, or null when it has none.</summary>
    /// <exception cref="RegistryException">The helper is missing, fails, hangs or answers something unusable (<see cref="RegistryFailure.Unauthorized"/>).</exception>
    public RegistryCredentials? Get(string name, string registry)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(registry);
        var binary = "docker-credential-" + name;
        var what = $"credential helper {binary} (credHelpers of {registry})";
        var path = IsValidName(name) ? _locate(binary) : null;
        if (path is null)
        {
            throw new RegistryException(RegistryFailure.Unauthorized, $"{what}: not found on the PATH");
        }
        var (exit, output, error) = Run(path, registry, what);
        if (exit != 0)
        {
            // The helpers' own words for "no login stored here" (docker-credential-helpers' ErrCredentialsNotFound).
            if (output.Contains("credentials not found", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
            throw new RegistryException(RegistryFailure.Unauthorized, $"{what}: exited {exit}: {FirstLine(error.Length > 0 ? error : output)}");
        }
        return ParseAnswer(output, what);
    }

    /// <summary>
    /// The login in what a helper that exited 0 wrote to its standard output (<c>{"ServerURL","Username","Secret"}</c>),
    /// or null when it gives no secret.
    /// </summary>
    /// <param name="output">The helper's standard output, decoded as UTF-8.</param>
    /// <param name="what">Names the helper and the registry in messages; the secret never appears in one.</param>
    /// <exception cref="RegistryException">The answer is not the JSON of a login, or gives an identity token (<see cref="RegistryFailure.Unauthorized"/>).</exception>
    internal static RegistryCredentials? ParseAnswer(string output, string what)
    {
        CredentialHelperAnswer? answer;
        try
        {
            answer = JsonSerializer.Deserialize(output, TrustJsonContext.Default.CredentialHelperAnswer);
        }
        catch (JsonException)
        {
            throw new RegistryException(RegistryFailure.Unauthorized, $"{what}: its answer is not the JSON of a login");
        }
        if (answer is null || string.IsNullOrEmpty(answer.Secret))
        {
            return null;
        }
        if (answer.Username is null or "" or "<token>")
        {
            // An identity token is exchanged through OAuth2, which the agent does not do.
            throw new RegistryException(RegistryFailure.Unauthorized, $"{what}: it gives an identity token, not a user name and password or token, which update-agent cannot use");
        }
        return new RegistryCredentials(answer.Username, answer.Secret);
    }

    private (int Exit, string Output, string Error) Run(string path, string registry, string what)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("get");
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new RegistryException(RegistryFailure.Unauthorized, $"{what}: cannot be started: {e.Message}", e);
        }
        try
        {
            var output = ReadBoundedAsync(process.StandardOutput.BaseStream);
            var error = ReadBoundedAsync(process.StandardError.BaseStream);
            try
            {
                process.StandardInput.Write(registry);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It exited without reading which registry is meant: its answer (or exit code) still counts.
            }
            if (!process.WaitForExit(_timeout))
            {
                throw new RegistryException(RegistryFailure.Unauthorized, $"{what}: no answer within {_timeout.TotalSeconds:0.#} s; stopped");
            }
            if (!output.Wait(_timeout) || !error.Wait(_timeout))
            {
                throw new RegistryException(RegistryFailure.Unauthorized, $"{what}: its output did not end within {_timeout.TotalSeconds:0.#} s");
            }
            if (output.Result is null)
            {
                throw new RegistryException(RegistryFailure.Unauthorized, $"{what}: its answer is larger than {MaxAnswerBytes} bytes");
            }
            return (process.ExitCode, output.Result, error.Result ?? string.Empty);
        }
        catch (IOException e)
        {
            throw new RegistryException(RegistryFailure.Unauthorized, $"{what}: {e.Message}", e);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    // Null when the stream holds more than the bound; what is past it is read and dropped so the helper is not blocked.
    private static async Task<string?> ReadBoundedAsync(Stream stream)
    {
        var kept = new MemoryStream();
        var buffer = new byte[8192];
        var tooLong = false;
        int read;
        while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (kept.Length + read > MaxAnswerBytes)
            {
                tooLong = true;
                continue;
            }
            kept.Write(buffer, 0, read);
        }
        return tooLong ? null : Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
    }

    private static string FirstLine(string text)
    {
        var line = text.Trim().Split('\n', 2)[0];
        return line.Length > 200 ? line[..200] + "…" : line;
    }

    private static string? OnPath(string binary)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, binary);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
