using System.Globalization;
using System.Text;
using UpdateAgent.Trust.Policy;

namespace UpdateAgent.Trust.Signatures;

/// <summary>What an offline Rekor check established.</summary>
/// <param name="Problem">Why the entry does not count, or null when it does.</param>
/// <param name="Log">The configured log the entry is from, when known.</param>
/// <param name="SignedTime">The integration time, only when a verified signed entry timestamp covers it.</param>
internal sealed record TlogCheck(string? Problem, LogKey? Log, DateTimeOffset? SignedTime)
{
    public static TlogCheck Fail(string problem, LogKey? log = null) => new(problem, log, null);
}

/// <summary>
/// Offline checks of a Rekor entry: the signed entry timestamp over the canonical entry, the
/// inclusion proof and checkpoint, and that the logged body is about this very signature.
/// Inclusion is proven by either; only the SET authenticates <c>integratedTime</c>.
/// </summary>
internal static class TlogVerifier
{
    /// <summary>Whether the entry is included in a configured log and describes the evidence; and its SET time if any.</summary>
    public static TlogCheck Check(SignatureEvidence evidence, IReadOnlyList<LogKey> logs, byte[] signerMaterialDer)
    {
        var tlog = evidence.Tlog;
        if (tlog is null)
        {
            return TlogCheck.Fail("no transparency-log entry");
        }
        if ((tlog.Problem ?? tlog.RangeProblem()) is { } malformed)
        {
            return TlogCheck.Fail($"the transparency-log entry is malformed: {malformed}");
        }
        var log = logs.FirstOrDefault(k => k.LogIdHex == tlog.LogIdHex);
        if (log is null)
        {
            return TlogCheck.Fail($"the entry is from log {tlog.LogIdHex}, which is not a configured Rekor key");
        }
        if (tlog.SignedEntryTimestamp is null && tlog.Proof is null)
        {
            return TlogCheck.Fail("the entry has neither a signed entry timestamp nor an inclusion proof", log);
        }
        DateTimeOffset? signedTime = null;
        if (tlog.SignedEntryTimestamp is not null)
        {
            if (tlog.IntegratedTime is not { } seconds)
            {
                return TlogCheck.Fail("the entry has a signed entry timestamp but no integratedTime", log);
            }
            if (!log.Key.Verify(CanonicalEntry(tlog), tlog.SignedEntryTimestamp))
            {
                return TlogCheck.Fail("the signed entry timestamp does not verify with the Rekor key", log);
            }
            signedTime = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        if (tlog.Proof is not null)
        {
            var proofError = MerkleProof.Check(tlog.Proof, tlog.Body) ?? Checkpoint.Check(tlog.Proof, log);
            if (proofError is not null)
            {
                return TlogCheck.Fail(proofError, log);
            }
        }
        var bodyError = RekorEntryMatcher.Check(tlog.Body, evidence, signerMaterialDer);
        return bodyError is null ? new TlogCheck(null, log, signedTime) : TlogCheck.Fail(bodyError, log);
    }

    /// <summary>RFC 8785 form of <c>{body, integratedTime, logID, logIndex}</c>: the bytes a SET signs.</summary>
    public static byte[] CanonicalEntry(TlogEvidence tlog)
    {
        // Every value is base64, hex or an integer, so no character needs escaping; refuse anything else.
        if (tlog.BodyBase64.AsSpan().IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") >= 0
            || tlog.LogIdHex.AsSpan().IndexOfAnyExcept("0123456789abcdef") >= 0)
        {
            throw new FormatException("a transparency-log entry holds characters outside base64/hex");
        }
        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{{\"body\":\"{tlog.BodyBase64}\",\"integratedTime\":{tlog.IntegratedTime},\"logID\":\"{tlog.LogIdHex}\",\"logIndex\":{tlog.LogIndex}}}"));
    }
}
