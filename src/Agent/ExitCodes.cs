namespace UpdateAgent;

/// <summary>The exit codes of every command (documented in README and in <c>--help</c>).</summary>
public static class ExitCodes
{
    /// <summary>Done; for <c>verify</c>: accepted.</summary>
    public const int Ok = 0;

    /// <summary><c>verify</c>: refused by policy. <c>guard</c>: the unit may not start.</summary>
    public const int Refused = 1;

    /// <summary>Bad arguments or configuration; nothing was done.</summary>
    public const int UsageError = 2;

    /// <summary>Could not decide or could not reach podman, systemd or the registry; nothing was changed.</summary>
    public const int Unavailable = 3;

    /// <summary>A unit failed or was rolled back during the command.</summary>
    public const int UnitFailed = 4;

    /// <summary>Another update runs (the daemon or another command holds the lock).</summary>
    public const int Busy = 5;

    /// <summary><c>check</c>: a unit runs an image update-agent did not verify (<c>unverified</c>) or pulls its tag on start (<c>unmanageable</c>).</summary>
    public const int NotVerified = 6;
}
