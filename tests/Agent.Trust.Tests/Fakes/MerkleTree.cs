using System.Security.Cryptography;

namespace UpdateAgent.Trust.Tests.Fakes;

/// <summary>RFC 6962 tree hash and audit path, computed the textbook (recursive) way to check the verifier's iterative one.</summary>
internal static class MerkleTree
{
    public static byte[] Root(IReadOnlyList<byte[]> leaves) => Hash(leaves, 0, leaves.Count);

    public static List<byte[]> Path(IReadOnlyList<byte[]> leaves, int index) => PathOf(leaves, index, 0, leaves.Count);

    private static byte[] Hash(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        if (count == 1)
        {
            return SHA256.HashData([0, .. leaves[start]]);
        }
        var k = Split(count);
        return SHA256.HashData([1, .. Hash(leaves, start, k), .. Hash(leaves, start + k, count - k)]);
    }

    private static List<byte[]> PathOf(IReadOnlyList<byte[]> leaves, int m, int start, int count)
    {
        if (count == 1)
        {
            return [];
        }
        var k = Split(count);
        if (m < k)
        {
            var path = PathOf(leaves, m, start, k);
            path.Add(Hash(leaves, start + k, count - k));
            return path;
        }
        var right = PathOf(leaves, m - k, start + k, count - k);
        right.Add(Hash(leaves, start, k));
        return right;
    }

    private static int Split(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }
        return k;
    }
}
