using UpdateAgent.Core.Engine;
using UpdateAgent.Core.Updaters;
using UpdateAgent.Podman;
using UpdateAgent.Systemd;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>doctor</c>'s check for units that pull their tag on every start (<c>--pull=always|newer</c>,
/// Quadlet <c>Pull=always|newer</c>): update-agent reports them <c>unmanageable</c> and leaves them
/// alone, since any restart can put an unverified image in place; a FAIL line names each and its fix.
/// </summary>
internal static class DoctorPullOnStart
{
    private const string What = "units that pull on start";

    /// <summary>Reports through <paramref name="report"/> (what, ok, detail, fix).</summary>
    public static async Task CheckAsync(string dbusAddress, IReadOnlyList<ManagedUnit> units, Func<string, bool, string, string, Task> report, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> pulling;
        try
        {
            pulling = await FindAsync(dbusAddress, units, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemdException e)
        {
            await report(What, false, $"could not read the units' ExecStart: {e.Message}", "").ConfigureAwait(false);
            return;
        }
        foreach (var (unit, why) in pulling)
        {
            await report($"unit {unit}", false, $"unmanageable: {why}", Migration.PullOnStartFix).ConfigureAwait(false);
        }
        if (pulling.Count == 0)
        {
            await report(What, true, $"none of the {units.Count} managed units pulls its tag when it starts", "").ConfigureAwait(false);
        }
    }

    /// <summary>Each unit whose ExecStart pulls its tag on start, with why; throws <see cref="SystemdException"/> when systemd cannot be asked.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> FindAsync(string dbusAddress, IReadOnlyList<ManagedUnit> units, CancellationToken cancellationToken)
    {
        var pulling = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using var systemd = await SystemdManager.ConnectAsync(dbusAddress, cancellationToken).ConfigureAwait(false);
        foreach (var unit in units)
        {
            var execStart = await systemd.GetExecStartAsync(unit.UnitName, cancellationToken).ConfigureAwait(false);
            if (PullOnStart.Reason(execStart) is { } why)
            {
                pulling[unit.UnitName] = why;
            }
        }
        return pulling;
    }
}
