namespace UpdateAgent.Core.Ports;

/// <summary>
/// The one failure of <see cref="IUnitControl"/>: systemd could not be asked or did not answer.
/// The engine treats it as the unit's failure; the message says what was asked.
/// </summary>
public class UnitControlException : Exception
{
    /// <summary>A failure with a default message.</summary>
    public UnitControlException() : base("talking to systemd failed") { }

    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public UnitControlException(string message) : base(message) { }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public UnitControlException(string message, Exception? inner) : base(message, inner) { }
}
