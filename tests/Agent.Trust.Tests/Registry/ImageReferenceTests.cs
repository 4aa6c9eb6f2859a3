using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Tests.Registry;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("registry.example.com:5000/team/app:1.2", "registry.example.com:5000", "team/app", "1.2")]
    [InlineData("nginx", "docker.io", "library/nginx", null)]
    [InlineData("index.docker.io/acme/web:latest", "docker.io", "acme/web", "latest")]
    [InlineData("localhost/app:dev", "localhost", "app", "dev")]
    [InlineData("docker://127.0.0.1:5000/a/b", "127.0.0.1:5000", "a/b", null)]
    public void Parses_host_repository_and_tag_like_container_tools(string text, string registry, string repository, string? tag)
    {
        var reference = ImageReference.Parse(text);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
    }

    [Theory]
    [InlineData("Upper/Case")]
    [InlineData("host/app@sha256:short")]
    [InlineData("host/app:bad tag")]
    [InlineData("")]
    public void Rejects_malformed_references_with_a_reason(string text)
    {
        Assert.False(ImageReference.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Docker_hub_spellings_name_the_same_repository()
    {
        var reference = ImageReference.Parse("acme/web:latest");
        Assert.True(reference.IsSameRepository("index.docker.io/acme/web"));
        Assert.False(reference.IsSameRepository("index.docker.io/acme/web-old"));
        Assert.False(reference.IsSameRepository("ghcr.io/acme/web"));
    }

    [Fact]
    public void Digest_pinning_keeps_the_tag_for_display()
    {
        var digest = "sha256:" + new string('a', 64);
        Assert.Equal($"r.test/a/b:latest@{digest}", ImageReference.Parse("r.test/a/b:latest").WithDigest(digest).ToString());
        Assert.Equal($"sha256-{new string('a', 64)}.sig", DigestValue.SignatureTag(digest));
    }
}
