using System.Text.Json;
using System.Text.Json.Serialization;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;

namespace UpdateAgent.Json;

/// <summary>One unit in <c>status --json</c>.</summary>
internal sealed record UnitStatusDocument(
    string Unit, string Image, string RunningDigest, string? RemoteDigest, string Status, string Detail,
    DateTimeOffset LastCheck, DateTimeOffset? LastUpdate, string? LastUpdateStatus, string? Hold, IReadOnlyList<string> Quarantined,
    VerifiedDocument? Verified, IReadOnlyList<string> Group);

/// <summary>The ledger's current entry of a unit in <c>status --json</c>: what it should run, and how that was established.</summary>
internal sealed record VerifiedDocument(string Digest, string PlatformDigest, string ImageId, string How, string Signers, DateTimeOffset At);

/// <summary>The whole of <c>status --json</c>.</summary>
internal sealed record StatusDocument(IReadOnlyList<UnitStatusDocument> Units);

/// <summary>One row of <c>history --json</c>.</summary>
internal sealed record HistoryDocument(
    long Id, string Unit, string Image, string FromDigest, string ToDigest, string Verdict, string Signers,
    IReadOnlyList<string> Reasons, string Status, DateTimeOffset Started, DateTimeOffset? Finished, IReadOnlyList<StepDocument> Steps);

/// <summary>One journaled step in <c>history --json</c>.</summary>
internal sealed record StepDocument(string Step, string Phase, DateTimeOffset At, string Detail);

/// <summary>The report of <c>check --json</c>.</summary>
internal sealed record CheckDocument(IReadOnlyList<UnitReport> Units, int DistinctImages, double Seconds, long RegistryRequests, string Summary);

/// <summary>One unit of <c>units --migration --json</c>: what update-agent will do with a unit podman auto-update manages.</summary>
internal sealed record MigrationUnitDocument(string Unit, string Image, string Containers, string Verdict, string Reason, string Fix);

/// <summary>A <c>podman-auto-update.timer</c> still enabled, in <c>units --migration --json</c>.</summary>
internal sealed record OtherUpdaterDocument(string Kind, string? User, string What, string Fix);

/// <summary>The whole of <c>units --migration --json</c>.</summary>
internal sealed record MigrationDocument(IReadOnlyList<MigrationUnitDocument> Units, IReadOnlyList<OtherUpdaterDocument> Timers, IReadOnlyList<string> Notes);

/// <summary>Source-generated JSON for every CLI document (the binary is Native AOT).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(List<HistoryDocument>))]
[JsonSerializable(typeof(CheckDocument))]
[JsonSerializable(typeof(List<QuarantineEntry>))]
[JsonSerializable(typeof(List<UnitCheck>))]
[JsonSerializable(typeof(MigrationDocument))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

/// <summary>Writing documents.</summary>
internal static class CliJson
{
    public static string Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type) + "\n";
}
