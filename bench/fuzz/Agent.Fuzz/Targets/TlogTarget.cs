using UpdateAgent.Trust.Bundles;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// A bundle's transparency-log entry checked offline as a keyless authority checks it: the signed
/// entry timestamp, the inclusion proof (numbers, audit path, root), the checkpoint, and that the
/// logged body describes this very signature. Handled: <see cref="FormatException"/>, which
/// the authority check turns into "invalid tlog"; every other problem is returned as a reason.
/// </summary>
internal static class TlogTarget
{
    public static FuzzTarget Target { get; } = new("tlog", "FormatException; other problems are returned as a reason", Run);

    private static void Run(byte[] input)
    {
        var evidence = SigstoreBundle.ToEvidence(input, "fuzz");
        var signer = evidence.Certificate?.RawData ?? [];
        try
        {
            TlogVerifier.Check(evidence, FuzzLog.Logs, signer);
        }
        catch (FormatException)
        {
        }
    }
}
