using System.Security.Cryptography;

namespace UpdateAgent.Trust.Signatures;

/// <summary>RFC 6962 / RFC 9162 Merkle inclusion proof check.</summary>
internal static class MerkleProof
{
    /// <summary>Null when <paramref name="leaf"/> is in the tree the proof describes; otherwise why not.</summary>
    public static string? Check(InclusionProof proof, byte[] leaf)
    {
        if (proof.LogIndex < 0 || proof.LogIndex >= proof.TreeSize)
        {
            return $"inclusion proof index {proof.LogIndex} is outside the tree of {proof.TreeSize}";
        }
        var fn = proof.LogIndex;
        var sn = proof.TreeSize - 1;
        var r = LeafHash(leaf);
        foreach (var p in proof.Hashes)
        {
            if (sn == 0)
            {
                return "inclusion proof has more hashes than the tree needs";
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                if ((fn & 1) == 0)
                {
                    while (fn != 0 && (fn & 1) == 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = NodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0)
        {
            return "inclusion proof has fewer hashes than the tree needs";
        }
        return CryptographicOperations.FixedTimeEquals(r, proof.RootHash) ? null : "inclusion proof does not lead to the root hash";
    }

    public static byte[] LeafHash(ReadOnlySpan<byte> leaf)
    {
        var buffer = new byte[leaf.Length + 1];
        leaf.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var buffer = new byte[1 + left.Length + right.Length];
        buffer[0] = 1;
        left.CopyTo(buffer.AsSpan(1));
        right.CopyTo(buffer.AsSpan(1 + left.Length));
        return SHA256.HashData(buffer);
    }
}
