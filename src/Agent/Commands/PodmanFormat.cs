using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;
using UpdateAgent.Json;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>check --format podman</c> and <c>--format podman-table</c>: a pass's report in the shape
/// <c>podman auto-update</c> prints — one row per container — so scripts written for podman keep
/// working. podman has five words for <c>Updated</c>; each of update-agent's statuses maps to the
/// one that is true of it (see <see cref="Updated"/>), and the exact status rides along.
/// </summary>
internal static class PodmanFormat
{
    /// <summary>The <c>--format</c> value for podman's JSON.</summary>
    public const string Json = "podman";

    /// <summary>The <c>--format</c> value for podman's default table.</summary>
    public const string Table = "podman-table";

    /// <summary>
    /// podman's <c>Updated</c> word for a status. <c>pending</c> promises that the next run moves the
    /// unit, so only update-agent's <c>pending</c> (a dry run found an accepted candidate) says it.
    /// A candidate that cannot be taken — refused by the trust policy, quarantined, not decided
    /// because a registry failed — and a unit that runs an unverified image or pulls on start are
    /// <c>failed</c>: the unit is not on an image update-agent would move it to and someone should
    /// look, as when podman's own image check fails. A hold is <c>false</c>: the operator chose that
    /// nothing moves, and nothing did. A restore to the last verified digest is <c>true</c> (the unit
    /// restarted on another image); an update undone is <c>rolled back</c>.
    /// </summary>
    public static string Updated(UnitStatus status) => status switch
    {
        UnitStatus.Updated or UnitStatus.Restored => "true",
        UnitStatus.UpToDate or UnitStatus.Held => "false",
        UnitStatus.Pending or UnitStatus.InProgress => "pending",
        UnitStatus.RolledBack or UnitStatus.Abandoned => "rolled back",
        _ => "failed",
    };

    /// <summary>One row per container of each unit (a unit whose containers are unknown gets one row with an empty container).</summary>
    public static List<PodmanAutoUpdateRow> Rows(IEnumerable<UnitReport> units) =>
        units.SelectMany(u => (u.Containers.Count == 0 ? [new ReportedContainer("", "")] : u.Containers)
            .Select(c => new PodmanAutoUpdateRow(UnitKey.ServiceOf(u.Unit), ContainerText(c), c.Name, c.Id, u.Image, u.Policy, Updated(u.Status), u.Status.Word(), u.Detail)))
            .ToList();

    /// <summary>podman's JSON: an array of objects, indented by four spaces, ending in a newline.</summary>
    public static string WriteJson(IEnumerable<UnitReport> units) =>
        System.Text.Json.JsonSerializer.Serialize(Rows(units), PodmanJsonContext.Default.ListPodmanAutoUpdateRow) + "\n";

    /// <summary>podman's default table: UNIT, CONTAINER, IMAGE, POLICY, UPDATED.</summary>
    public static string WriteTable(IEnumerable<UnitReport> units) =>
        Tables.Render(["UNIT", "CONTAINER", "IMAGE", "POLICY", "UPDATED"],
            Rows(units).Select(r => new[] { r.Unit, r.Container, r.Image, r.Policy, r.Updated }).ToList());

    // podman writes the first twelve characters of the ID and the name in parentheses.
    private static string ContainerText(ReportedContainer container) =>
        container.Id.Length == 0 && container.Name.Length == 0 ? ""
        : $"{(container.Id.Length > 12 ? container.Id[..12] : container.Id)} ({container.Name})";
}
