namespace UpdateAgent.Systemd;

/// <summary>One method of systemd's bus API on one object; its text names the call in errors.</summary>
/// <param name="Path">The object path.</param>
/// <param name="Interface">The interface.</param>
/// <param name="Member">The method.</param>
internal readonly record struct SystemdCall(string Path, string Interface, string Member)
{
    public override string ToString() => $"{Interface}.{Member} on {Path} of {SystemdNames.Destination}";
}
