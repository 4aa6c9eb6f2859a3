using UpdateAgent.Podman;
using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Podman;

[Collection(TestbedCollection.Name)]
public sealed class PodmanImageSystemTests(TestbedFixture testbed)
{
    [Fact]
    public async Task Pull_by_digest_then_tag_read_back_and_untag()
    {
        var repository = $"{testbed.Registry}/pm-images/app";
        var digest = await testbed.PushImageAsync($"{repository}:latest", ["build=pull-test"]);
        using var podman = PodmanUnits.Client(testbed);

        var pulled = await podman.PullByDigestAsync($"{repository}@{digest}", CancellationToken.None);

        Assert.StartsWith("sha256:", pulled.ImageId, StringComparison.Ordinal);
        Assert.True(await podman.ImageExistsAsync($"{repository}@{digest}", CancellationToken.None));
        var image = await podman.InspectImageAsync(pulled.ImageId, CancellationToken.None);
        Assert.Equal(pulled.ImageId, image.Id);
        Assert.Contains($"{repository}@{digest}", image.RepoDigests);
        Assert.Equal("pull-test", image.Labels["build"]);
        Assert.NotNull(image.Created);

        await podman.TagImageAsync(pulled.ImageId, $"{repository}:rollback", CancellationToken.None);
        var tag = await podman.ReadLocalTagAsync($"{repository}:rollback", CancellationToken.None);
        Assert.NotNull(tag);
        Assert.Equal(pulled.ImageId, tag.ImageId);
        Assert.Contains(digest, tag.Digests);

        await podman.UntagImageAsync(pulled.ImageId, $"{repository}:rollback", CancellationToken.None);
        Assert.Null(await podman.ReadLocalTagAsync($"{repository}:rollback", CancellationToken.None));
        Assert.False(await podman.ImageExistsAsync($"{repository}:rollback", CancellationToken.None));
        Assert.True(await podman.ImageExistsAsync(pulled.ImageId, CancellationToken.None));
    }

    [Fact]
    public async Task Pull_of_a_digest_the_registry_does_not_have_fails_with_the_registry_error()
    {
        var reference = $"{testbed.Registry}/pm-images/absent@sha256:{new string('a', 64)}";
        using var podman = PodmanUnits.Client(testbed);

        var failure = await Assert.ThrowsAsync<PodmanException>(() => podman.PullByDigestAsync(reference, CancellationToken.None));

        Assert.Equal(reference, failure.Subject);
        Assert.Contains(reference, failure.Message, StringComparison.Ordinal);
        Assert.Contains("manifest unknown", failure.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Inspecting_a_missing_image_names_it()
    {
        using var podman = PodmanUnits.Client(testbed);

        var failure = await Assert.ThrowsAsync<PodmanNotFoundException>(
            () => podman.InspectImageAsync($"{testbed.Registry}/pm-images/never:latest", CancellationToken.None));

        Assert.Contains("pm-images/never:latest", failure.Message, StringComparison.Ordinal);
        Assert.False(await podman.ImageExistsAsync($"{testbed.Registry}/pm-images/never:latest", CancellationToken.None));
        Assert.Null(await podman.ReadLocalTagAsync($"{testbed.Registry}/pm-images/never:latest", CancellationToken.None));
    }
}
