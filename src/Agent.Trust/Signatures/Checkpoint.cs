using System.Globalization;
using System.Text;
using UpdateAgent.Trust.Policy;

namespace UpdateAgent.Trust.Signatures;

/// <summary>
/// A Rekor checkpoint (C2SP signed note): origin, tree size, root hash, optional lines, then
/// signature lines <c>— name base64(key hint ‖ signature)</c>.
/// </summary>
internal static class Checkpoint
{
    private const string SignaturePrefix = "\u2014 ";
    private const int MaxLength = 16 * 1024;

    /// <summary>Null when the checkpoint is the log's, signed by it, and commits to the proof's tree; otherwise why not.</summary>
    public static string? Check(InclusionProof proof, LogKey log)
    {
        if (string.IsNullOrEmpty(proof.Checkpoint))
        {
            return "the inclusion proof has no checkpoint";
        }
        if (proof.Checkpoint.Length > MaxLength)
        {
            return "the checkpoint is longer than any log writes";
        }
        var split = proof.Checkpoint.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return "the checkpoint has no signature section";
        }
        var body = proof.Checkpoint[..(split + 1)];
        var lines = body.Split('\n');
        if (lines.Length < 4)
        {
            return "the checkpoint has fewer than three lines";
        }
        if (!OriginMatches(lines[0], log))
        {
            return $"the checkpoint is from log '{lines[0]}', not '{log.Origin ?? log.BaseUrl}'";
        }
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size != proof.TreeSize)
        {
            return "the checkpoint is for another tree size";
        }
        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            return "the checkpoint root hash is not base64";
        }
        if (!root.AsSpan().SequenceEqual(proof.RootHash))
        {
            return "the checkpoint is for another root hash";
        }
        // The key hint is the first four bytes of the log ID: sha256 of the key (v1) or the note key ID (v2).
        var hint = Convert.FromHexString(log.LogIdHex.AsSpan(0, 8));
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        foreach (var line in proof.Checkpoint[(split + 2)..].Split('\n'))
        {
            if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
            {
                continue;
            }
            var space = line.LastIndexOf(' ');
            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(line[(space + 1)..]);
            }
            catch (FormatException)
            {
                continue;
            }
            if (blob.Length > 4 && blob.AsSpan(0, 4).SequenceEqual(hint) && log.Key.Verify(bodyBytes, blob[4..]))
            {
                return null;
            }
        }
        return "the checkpoint is not signed by the Rekor key";
    }

    /// <summary>
    /// Whether a checkpoint's origin line names <paramref name="log"/>. A known origin must match
    /// exactly, or be followed by a Rekor v1 tree id. Otherwise a known base URL must name the same
    /// host: Rekor v2 origins are the bare host, Rekor v1 origins are <c>host - &lt;tree id&gt;</c>
    /// (the tree changes when a log shard is frozen, so any decimal tree id of that host counts).
    /// With neither known nothing is compared.
    /// </summary>
    public static bool OriginMatches(string origin, LogKey log)
    {
        if (log.Origin is not null)
        {
            // A trust root's origin is taken from the log's URL (trusted_root.json names no
            // origin), so a Rekor v1 checkpoint of that log reads "<origin> - <tree id>".
            return string.Equals(origin, log.Origin, StringComparison.Ordinal) || IsTreeOf(origin, log.Origin);
        }
        if (log.BaseUrl is null)
        {
            return true;
        }
        if (!Uri.TryCreate(log.BaseUrl, UriKind.Absolute, out var url))
        {
            return false;
        }
        var expected = url.IsDefaultPort ? url.IdnHost : $"{url.IdnHost}:{url.Port}";
        return string.Equals(origin, expected, StringComparison.OrdinalIgnoreCase) || IsTreeOf(origin, expected);
    }

    // Rekor v1 writes "<host> - <decimal tree id>"; the tree changes when a shard is frozen.
    private static bool IsTreeOf(string origin, string host)
    {
        var prefix = host + " - ";
        return origin.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && origin.Length > prefix.Length
            && origin.AsSpan(prefix.Length).IndexOfAnyExcept("0123456789") < 0;
    }
}
