using UpdateAgent.Core.Updaters;
using UpdateAgent.Hosting;
using UpdateAgent.Json;
using UpdateAgent.Podman;
using UpdateAgent.Systemd;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>update-agent units --migration</c>: for every unit <c>podman auto-update</c> would manage on
/// this host — root's through the system podman socket, each rootless user's through that user's
/// socket — what update-agent will do with it (managed, needs a policy rule, unmanageable and why,
/// not managed), and every <c>podman-auto-update.timer</c> still enabled with the command that
/// turns it off. <c>install.sh</c> prints it before it disables the system timer.
/// </summary>
internal static class UnitsMigration
{
    /// <summary>What is said of images nobody signs, before any timer is turned off.</summary>
    public const string Unsigned =
        "Images nobody signs (third-party images with no [[image]] rule, or whose signatures do not verify) are never moved: " +
        "those units stay on what they run, and every check reports them ('refused', 'unverified' or 'unmanageable').";

    public static async Task<int> RunAsync(AgentContext context, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        var policy = context.Policy;
        DiscoveryResult found;
        try
        {
            using var podman = new PodmanClient(new PodmanClientOptions { SocketPath = settings.PodmanSocket });
            found = await podman.DiscoverUnitsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PodmanException e)
        {
            await error.WriteLineAsync($"update-agent units: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        var notes = new List<string>();
        IReadOnlyDictionary<string, string> pulling = new Dictionary<string, string>();
        List<OtherUpdater> timers;
        SystemdManager? systemd = null;
        try
        {
            systemd = await SystemdManager.ConnectAsync(settings.DBusAddress, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemdException e)
        {
            notes.Add($"systemd could not be asked which units pull on start or whether the system's timer is enabled: {e.Message}");
        }
        try
        {
            if (systemd is not null)
            {
                try
                {
                    pulling = await DoctorPullOnStart.FindAsync(settings.DBusAddress, found.Units, cancellationToken).ConfigureAwait(false);
                }
                catch (SystemdException e)
                {
                    notes.Add($"could not read the units' ExecStart, so units that pull on start are not told apart: {e.Message}");
                }
            }
            var (updaters, problem) = await DoctorUpdaters.FindAsync(systemd, TimerFiles.Host, cancellationToken).ConfigureAwait(false);
            timers = updaters;
            if (problem is not null && systemd is not null)
            {
                notes.Add(problem);
            }
        }
        finally
        {
            if (systemd is not null)
            {
                await systemd.DisposeAsync().ConfigureAwait(false);
            }
        }

        var entries = Migration.Classify(Adapters.PodmanMapping.Map(found), image => policy?.Match(image)?.Repository, pulling, null, settings.PolicyPath).ToList();
        foreach (var (user, socket) in RootlessSockets.Find())
        {
            try
            {
                using var podman = new PodmanClient(new PodmanClientOptions { SocketPath = socket, RequestTimeout = TimeSpan.FromSeconds(15) });
                var theirs = await podman.DiscoverUnitsAsync(cancellationToken).ConfigureAwait(false);
                entries.AddRange(Migration.Classify(Adapters.PodmanMapping.Map(theirs), _ => null, new Dictionary<string, string>(), user, settings.PolicyPath));
            }
            catch (PodmanException e)
            {
                notes.Add($"{user}'s units could not be listed through {socket}: {e.Message}");
            }
        }

        if (json)
        {
            var document = new MigrationDocument(
                entries.Select(e => new MigrationUnitDocument(e.Unit, e.Image, e.Containers, e.Word, e.Reason, e.Fix)).ToList(),
                timers.Select(t => new OtherUpdaterDocument(t.Kind.ToString(), t.User, t.What, t.Fix)).ToList(),
                notes);
            await output.WriteAsync(CliJson.Write(document, CliJsonContext.Default.MigrationDocument)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        await output.WriteAsync(Render(entries, timers, notes)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>The listing for people: a table, then each unit's reason and fix, then the timers, then what happens to unsigned images.</summary>
    public static string Render(IReadOnlyList<MigrationEntry> entries, IReadOnlyList<OtherUpdater> timers, IReadOnlyList<string> notes)
    {
        var text = new System.Text.StringBuilder();
        if (entries.Count == 0)
        {
            text.Append("podman auto-update manages no unit on this host (no running container carries io.containers.autoupdate)\n");
        }
        else
        {
            text.Append(Tables.Render(["UNIT", "UPDATE-AGENT WILL", "IMAGE", "CONTAINERS"],
                entries.Select(e => new[] { e.Unit, e.Word, e.Image.Length == 0 ? "-" : e.Image, e.Containers }).ToList()));
            text.Append('\n');
            foreach (var entry in entries)
            {
                text.Append($"{entry.Unit}: {entry.Word}: {entry.Reason}\n");
                if (entry.Fix.Length > 0)
                {
                    text.Append($"  fix: {entry.Fix}\n");
                }
            }
        }
        if (timers.Count > 0)
        {
            text.Append("\npodman-auto-update.timer is still on here (it pulls and restarts without verifying anything):\n");
            foreach (var timer in timers)
            {
                text.Append($"  {timer.What}\n    turn it off: {timer.Fix}\n");
            }
        }
        foreach (var note in notes)
        {
            text.Append($"note: {note}\n");
        }
        text.Append('\n').Append(Unsigned).Append('\n');
        return text.ToString();
    }
}
