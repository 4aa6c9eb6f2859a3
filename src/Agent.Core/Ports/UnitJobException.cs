namespace UpdateAgent.Core.Ports;

/// <summary>
/// A restart job that could not be followed to its end: unlike a job that failed, the unit's
/// state is unknown, which is why it is its own case of <see cref="UnitControlException"/>.
/// </summary>
public sealed class UnitJobException : UnitControlException
{
    /// <summary>A lost job with a default message.</summary>
    public UnitJobException() : base("the systemd job could not be followed") { }

    /// <summary>A lost job described by <paramref name="message"/>.</summary>
    public UnitJobException(string message) : base(message) { }

    /// <summary>A lost job described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public UnitJobException(string message, Exception? inner) : base(message, inner) { }
}
