using System.CommandLine;
using UpdateAgent.Configuration;
using UpdateAgent.Core.Configuration;
using UpdateAgent.Core.Updaters;
using UpdateAgent.Hosting;
using UpdateAgent.Podman;
using UpdateAgent.Systemd;
using UpdateAgent.Trust;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>update-agent doctor</c>: checks what the agent depends on — configuration and policy, file
/// permissions, systemd over D-Bus, the Podman socket, every registry the managed units use, and
/// the clock — and that no other updater (podman-auto-update.timer) works behind its back and no
/// managed unit pulls its tag on start, reports the age and key windows of each Sigstore trust root, and says what to fix. Exit 0 when all is well, 3 otherwise.
/// </summary>
internal static class DoctorCommand
{
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(2);

    public static Command Create()
    {
        var config = CommonOptions.Config();
        var command = new Command("doctor", "Check configuration, permissions, systemd, podman, registries and the clock, and say what to fix") { config };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(config), parse.InvocationConfiguration.Output, token));
        return command;
    }

    private static async Task<int> RunAsync(string? configFile, TextWriter output, CancellationToken cancellationToken)
    {
        var failures = 0;
        async Task Report(string what, bool ok, string detail, string fix = "")
        {
            failures += ok ? 0 : 1;
            await output.WriteLineAsync($"{(ok ? "ok  " : "FAIL")}  {what}: {detail}{(ok || fix.Length == 0 ? "" : $"\n      fix: {fix}")}").ConfigureAwait(false);
        }

        var context = AgentContext.Load(configFile, needPolicy: true);
        await Report("configuration and policy", context.Succeeded, context.Succeeded ? $"policy {context.Settings.PolicyPath} loaded" : string.Join("; ", context.Errors),
            "correct the files and keys named above").ConfigureAwait(false);
        var settings = context.Settings;

        try
        {
            await using var systemd = await SystemdManager.ConnectAsync(settings.DBusAddress, cancellationToken).ConfigureAwait(false);
            var state = await systemd.GetUnitStateAsync("podman.socket", cancellationToken).ConfigureAwait(false);
            await Report("systemd over D-Bus", true, $"connected as {systemd.UniqueName}; podman.socket is {state.ActiveState}").ConfigureAwait(false);
            await DoctorUpdaters.CheckAsync(systemd, TimerFiles.Host, Report, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemdException e)
        {
            await Report("systemd over D-Bus", false, e.Message, $"is dbus running and {settings.DBusAddress} reachable as root?").ConfigureAwait(false);
            await DoctorUpdaters.CheckAsync(null, TimerFiles.Host, Report, cancellationToken).ConfigureAwait(false);
        }

        DiscoveryResult? found = null;
        try
        {
            using var podman = new PodmanClient(new PodmanClientOptions { SocketPath = settings.PodmanSocket });
            found = await podman.DiscoverUnitsAsync(cancellationToken).ConfigureAwait(false);
            await Report("podman", found.Problems.Count == 0, $"{found.Units.Count} managed units{string.Concat(found.Problems.Select(p => $"; {p.Subject}: {p.Message}"))}",
                "give each auto-updated container a PODMAN_SYSTEMD_UNIT (run it from a unit with Environment=PODMAN_SYSTEMD_UNIT=%n, or use Quadlet)").ConfigureAwait(false);
        }
        catch (PodmanException e)
        {
            await Report("podman", false, e.Message, "systemctl enable --now podman.socket").ConfigureAwait(false);
        }
        if (found is not null)
        {
            await DoctorPullOnStart.CheckAsync(settings.DBusAddress, found.Units, Report, cancellationToken).ConfigureAwait(false);
        }

        var permissionProblems = FilePermissions.Check([settings.PolicyPath, .. AgentConfigLoader.DefaultFiles(), .. context.Policy?.Files ?? []]);
        await Report("file permissions", permissionProblems.Count == 0, permissionProblems.Count == 0 ? "configuration, policy and the files it names are root's alone" : string.Join("; ", permissionProblems)).ConfigureAwait(false);

        if (context.Policy is { } trustPolicy)
        {
            await DoctorTrustRoots.CheckAsync(trustPolicy, DateTimeOffset.UtcNow, output, Report).ConfigureAwait(false);
        }

        if (context.Policy is { } policy && found is not null)
        {
            using var http = TrustServices.CreateHttpClient(policy.CertsDirectories);
            var registryOptions = TrustServices.RegistryOptions(policy);
            // The same credentials a pass uses: a container's io.containers.autoupdate.authfile counts for its image.
            new Adapters.ContainerRegistryAccess(registryOptions).Learn(found);
            var (registry, _) = TrustServices.CreateVerifier(policy, http, options: registryOptions);
            foreach (var reference in found.Units.Select(u => u.ImageReference).Distinct(StringComparer.Ordinal))
            {
                if (!ImageReference.TryParse(reference, out var image, out var parseError))
                {
                    await Report($"image {reference}", false, parseError, "create the container from a fully qualified reference (registry/repository:tag)").ConfigureAwait(false);
                    continue;
                }
                if (policy.Match(image) is null)
                {
                    await Report($"image {reference}", false, "no [[image]] rule covers it: it is checked but never updated", $"add an [[image]] rule for {image.Name} to {settings.PolicyPath}").ConfigureAwait(false);
                }
                try
                {
                    var digest = await registry.ResolveDigestAsync(image, cancellationToken).ConfigureAwait(false);
                    await Report($"registry {image.Registry}", true, $"{reference} → {digest}").ConfigureAwait(false);
                }
                catch (RegistryException e)
                {
                    await Report($"registry {image.Registry}", false, e.Message, "check network, credentials (auth.json, or the container's io.containers.autoupdate.authfile), certs.d for a private CA and, for plain HTTP, [registries] insecure").ConfigureAwait(false);
                }
                await CheckClockAsync(http, image, Report, cancellationToken).ConfigureAwait(false);
            }
        }
        await output.WriteLineAsync(failures == 0 ? "all checks passed" : $"{failures} checks failed").ConfigureAwait(false);
        return failures == 0 ? ExitCodes.Ok : ExitCodes.Unavailable;
    }

    // Keyless signatures and "not older than" rules lean on time: compare with the registry's clock.
    private static async Task CheckClockAsync(HttpClient http, ImageReference image, Func<string, bool, string, string, Task> report, CancellationToken cancellationToken)
    {
        foreach (var scheme in new[] { "https", "http" })
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"{scheme}://{image.ApiHost}/v2/"), cancellationToken).ConfigureAwait(false);
                if (response.Headers.Date is { } date)
                {
                    var skew = (DateTimeOffset.UtcNow - date).Duration();
                    await report("clock", skew <= MaxClockSkew, $"{skew.TotalSeconds:0} s from {image.Registry}'s clock", "enable time synchronisation (systemd-timesyncd or chrony)").ConfigureAwait(false);
                }
                return;
            }
            catch (HttpRequestException)
            {
                // try the other scheme; the registry check above already reported reachability
            }
        }
    }
}
