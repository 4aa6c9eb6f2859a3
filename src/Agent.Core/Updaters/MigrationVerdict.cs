namespace UpdateAgent.Core.Updaters;

/// <summary>What update-agent will do with a unit that <c>podman auto-update</c> manages today.</summary>
public enum MigrationVerdict
{
    /// <summary>A trust-policy rule covers its image: update-agent moves it to verified digests.</summary>
    Managed,

    /// <summary>No rule covers its image: it is checked and reported, never updated, until a rule is added.</summary>
    NeedsRule,

    /// <summary>update-agent cannot keep it on a verified image; it stays on what it runs and is reported.</summary>
    Unmanageable,

    /// <summary>A rootless user's unit: the system daemon does not manage it.</summary>
    NotManaged,
}
