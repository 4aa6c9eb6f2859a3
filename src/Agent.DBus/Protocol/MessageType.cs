namespace UpdateAgent.DBus.Protocol;

/// <summary>The message type byte of the header.</summary>
public enum MessageType : byte
{
    /// <summary>Never valid on the wire.</summary>
    Invalid = 0,
    /// <summary>A method call.</summary>
    MethodCall = 1,
    /// <summary>A successful reply.</summary>
    MethodReturn = 2,
    /// <summary>An error reply.</summary>
    Error = 3,
    /// <summary>A signal.</summary>
    Signal = 4,
}

/// <summary>Header flags.</summary>
[Flags]
public enum MessageFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>The caller does not want a reply.</summary>
    NoReplyExpected = 0x01,
    /// <summary>The bus must not start a service for the destination.</summary>
    NoAutoStart = 0x02,
    /// <summary>The caller accepts an interactive authorization prompt.</summary>
    AllowInteractiveAuthorization = 0x04,
}

/// <summary>Codes of the header fields.</summary>
internal enum HeaderField : byte
{
    Invalid = 0,
    Path = 1,
    Interface = 2,
    Member = 3,
    ErrorName = 4,
    ReplySerial = 5,
    Destination = 6,
    Sender = 7,
    Signature = 8,
    UnixFds = 9,
}
