namespace UpdateAgent.DBus.Protocol;

/// <summary>The limits the D-Bus specification sets, as named constants.</summary>
public static class ProtocolLimits
{
    /// <summary>Largest whole message: 128 MiB.</summary>
    public const int MaxMessageLength = 1 << 27;

    /// <summary>Largest array body: 64 MiB.</summary>
    public const int MaxArrayLength = 1 << 26;

    /// <summary>Longest signature in bytes.</summary>
    public const int MaxSignatureLength = 255;

    /// <summary>Deepest array nesting.</summary>
    public const int MaxArrayDepth = 32;

    /// <summary>Deepest struct nesting.</summary>
    public const int MaxStructDepth = 32;

    /// <summary>Deepest total nesting, variants included.</summary>
    public const int MaxTotalDepth = 64;

    /// <summary>Longest bus, interface, member or error name.</summary>
    public const int MaxNameLength = 255;

    /// <summary>The fixed part of every header.</summary>
    public const int FixedHeaderLength = 16;
}
