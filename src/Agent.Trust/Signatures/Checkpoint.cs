using System.Globalization;
using System.Text;

namespace UpdateAgent.Trust.Signatures;

/// <summary>A Rekor checkpoint (signed note): origin, tree size, root hash, then signature lines.</summary>
internal static class Checkpoint
{
    private const string SignaturePrefix = "\u2014 ";

    /// <summary>Null when the checkpoint is signed by the log and commits to the proof's tree; otherwise why not.</summary>
    public static string? Check(InclusionProof proof, VerificationKey logKey, string logIdHex)
    {
        if (string.IsNullOrEmpty(proof.Checkpoint))
        {
            return "the inclusion proof has no checkpoint";
        }
        var split = proof.Checkpoint.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return "the checkpoint has no signature section";
        }
        var body = proof.Checkpoint[..(split + 1)];
        var lines = body.Split('\n');
        if (lines.Length < 4
            || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || size != proof.TreeSize)
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
        var hint = Convert.FromHexString(logIdHex.AsSpan(0, 8));
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
            if (blob.Length > 4 && blob.AsSpan(0, 4).SequenceEqual(hint) && logKey.Verify(bodyBytes, blob[4..]))
            {
                return null;
            }
        }
        return "the checkpoint is not signed by the Rekor key";
    }
}
