using System.Globalization;
using System.Text;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// A Rekor checkpoint (signed note). The proof it is checked against takes its tree size and root
/// hash from the note's own second and third lines when they parse, so that mutations reach the
/// signature lines instead of stopping at "another tree". Handled: nothing may escape; every
/// problem is returned as a reason.
/// </summary>
internal static class CheckpointTarget
{
    public static FuzzTarget Target { get; } = new("checkpoint", "none: problems are returned as a reason", Run);

    private static void Run(byte[] input)
    {
        var note = Encoding.UTF8.GetString(input);
        var lines = note.Split('\n', 4);
        var size = lines.Length > 1 && long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 1;
        var root = lines.Length > 2 && TryBase64(lines[2], out var r) ? r : new byte[32];
        var proof = new InclusionProof(0, size, root, [], note);
        foreach (var log in FuzzLog.Logs)
        {
            Checkpoint.Check(proof, log);
        }
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        var buffer = new byte[text.Length];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }
        bytes = [];
        return false;
    }
}
