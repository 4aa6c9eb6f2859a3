using System.Text;
using UpdateAgent.Trust.Signatures;
using UpdateAgent.Trust.Tests.Fakes;

namespace UpdateAgent.Trust.Tests.Signatures;

public sealed class MerkleProofTests
{
    [Fact]
    public void Every_leaf_of_trees_of_every_size_up_to_33_is_proven_and_a_wrong_leaf_is_not()
    {
        for (var size = 1; size <= 33; size++)
        {
            var leaves = Enumerable.Range(0, size).Select(i => Encoding.UTF8.GetBytes($"entry {i}")).ToList();
            var root = MerkleTree.Root(leaves);
            for (var index = 0; index < size; index++)
            {
                var proof = new InclusionProof(index, size, root, MerkleTree.Path(leaves, index), null);
                Assert.Null(MerkleProof.Check(proof, leaves[index]));
                Assert.NotNull(MerkleProof.Check(proof, "forged"u8.ToArray()));
            }
        }
    }

    [Fact]
    public void Index_outside_the_tree_and_wrong_path_lengths_are_refused()
    {
        var leaves = Enumerable.Range(0, 5).Select(i => new[] { (byte)i }).ToList();
        var root = MerkleTree.Root(leaves);
        var path = MerkleTree.Path(leaves, 2);
        Assert.NotNull(MerkleProof.Check(new InclusionProof(5, 5, root, path, null), leaves[2]));
        Assert.NotNull(MerkleProof.Check(new InclusionProof(2, 5, root, path.Take(1).ToList(), null), leaves[2]));
        Assert.NotNull(MerkleProof.Check(new InclusionProof(2, 5, root, [.. path, root], null), leaves[2]));
    }
}
