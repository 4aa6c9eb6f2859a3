using System.Collections.Frozen;

namespace UpdateAgent.Core.History;

/// <summary>The words a person reads for each <see cref="UnitStatus"/>; the history store keeps the words too.</summary>
public static class UnitStatuses
{
    private static readonly FrozenDictionary<UnitStatus, string> Words = new Dictionary<UnitStatus, string>
    {
        [UnitStatus.InProgress] = "in progress",
        [UnitStatus.UpToDate] = "up to date",
        [UnitStatus.Updated] = "updated",
        [UnitStatus.Restored] = "restored",
        [UnitStatus.Refused] = "refused",
        [UnitStatus.Held] = "held",
        [UnitStatus.Quarantined] = "quarantined",
        [UnitStatus.Pending] = "pending",
        [UnitStatus.Undecided] = "undecided",
        [UnitStatus.NotRunning] = "not running",
        [UnitStatus.RolledBack] = "rolled back",
        [UnitStatus.Abandoned] = "abandoned",
        [UnitStatus.Failed] = "failed",
        [UnitStatus.Unverified] = "unverified",
        [UnitStatus.Unmanageable] = "unmanageable",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, UnitStatus> ByWord = Words.ToFrozenDictionary(w => w.Value, w => w.Key, StringComparer.Ordinal);

    /// <summary>Every status, in the enum's order (what the metrics count).</summary>
    public static IReadOnlyList<UnitStatus> All { get; } = Enum.GetValues<UnitStatus>();

    /// <summary>The status's word: <c>up to date</c>, <c>rolled back</c>…</summary>
    public static string Word(this UnitStatus status) => Words[status];

    /// <summary>The status a word names; false for a word that names none.</summary>
    public static bool TryParse(string word, out UnitStatus status) => ByWord.TryGetValue(word, out status);

    /// <summary>The status a stored word names; a word of no status is reported as a failure to read the store.</summary>
    public static UnitStatus Parse(string word) =>
        TryParse(word, out var status) ? status : throw new HistoryStoreException($"the history store holds the status '{word}', which this version of update-agent does not know");
}
