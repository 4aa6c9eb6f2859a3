namespace UpdateAgent.Core.Updaters;

/// <summary>One line of the migration listing: a unit podman auto-update manages, and what update-agent will do with it.</summary>
/// <param name="Unit">The unit (<c>user:NAME:UNIT</c> for a rootless user's unit; the container when no unit is known).</param>
/// <param name="Image">The reference its containers were created from (empty when unknown).</param>
/// <param name="Containers">Its containers' names, comma-separated.</param>
/// <param name="Verdict">What update-agent will do.</param>
/// <param name="Reason">Why, in a sentence.</param>
/// <param name="Fix">What an operator does about it (empty when nothing is needed).</param>
public sealed record MigrationEntry(string Unit, string Image, string Containers, MigrationVerdict Verdict, string Reason, string Fix)
{
    /// <summary>The verdict's word: <c>managed</c>, <c>needs a policy rule</c>, <c>unmanageable</c>, <c>not managed</c>.</summary>
    public string Word => Verdict switch
    {
        MigrationVerdict.Managed => "managed",
        MigrationVerdict.NeedsRule => "needs a policy rule",
        MigrationVerdict.Unmanageable => "unmanageable",
        _ => "not managed",
    };
}
