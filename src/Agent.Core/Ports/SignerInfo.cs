namespace UpdateAgent.Core.Ports;

/// <summary>Who signed an accepted candidate; the engine records the authorities in the ledger.</summary>
/// <param name="Authority">The policy's name for the trusted authority, e.g. <c>release-gate</c>.</param>
/// <param name="Identity">The key or certificate identity that signed.</param>
public sealed record SignerInfo(string Authority, string Identity);
