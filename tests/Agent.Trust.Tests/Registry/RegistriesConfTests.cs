using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Tests.Registry;

/// <summary>registries.conf read as podman reads it: which namespace an image falls in, where it is read from, what is refused.</summary>
public sealed class RegistriesConfTests
{
    private const string Mirrored = """
        [[registry]]
        prefix = "quay.io/team"
        location = "quay.io/team"
        [[registry.mirror]]
        location = "mirror.example/quay/team"
        [[registry.mirror]]
        location = "digests.example:5000/team"
        pull-from-mirror = "digest-only"
        insecure = true
        [[registry.mirror]]
        location = "tags.example/team"
        pull-from-mirror = "tag-only"

        [[registry]]
        location = "quay.io"

        [[registry]]
        prefix = "*.corp.example"
        blocked = true

        [[registry]]
        prefix = "old.example/app"
        location = "new.example/moved/app"
        """;

    private static readonly string Digest = "sha256:" + new string('a', 64);

    private static RegistrySources Sources(string toml) => new(RegistriesConf.Parse(toml, "registries.conf"));

    private static string[] Places(RegistrySources sources, string image, bool byDigest) =>
        sources.Locations(ImageReference.Parse(image), byDigest).Select(r => r.ToString()).ToArray();

    [Fact]
    public void A_tag_is_read_from_the_mirrors_that_serve_tags_in_order_and_then_from_its_location()
    {
        Assert.Equal(["mirror.example/quay/team/app:latest", "tags.example/team/app:latest", "quay.io/team/app:latest"],
            Places(Sources(Mirrored), "quay.io/team/app:latest", byDigest: false));
    }

    [Fact]
    public void A_digest_is_read_from_the_mirrors_that_serve_digests()
    {
        Assert.Equal([$"mirror.example/quay/team/app@{Digest}", $"digests.example:5000/team/app@{Digest}", $"quay.io/team/app@{Digest}"],
            Places(Sources(Mirrored), $"quay.io/team/app@{Digest}", byDigest: true));
    }

    [Fact]
    public void The_longest_prefix_decides_and_a_namespace_does_not_cover_a_longer_name_or_another_port()
    {
        var sources = Sources(Mirrored);
        Assert.Equal(["quay.io/other/app:1"], Places(sources, "quay.io/other/app:1", byDigest: false));
        Assert.Equal(["quay.io/teamwork/app:1"], Places(sources, "quay.io/teamwork/app:1", byDigest: false));
        Assert.Equal(["quay.io:8443/team/app:1"], Places(sources, "quay.io:8443/team/app:1", byDigest: false));
        Assert.Equal("quay.io", sources.For(ImageReference.Parse("quay.io/other/app"))!.Prefix);
    }

    [Fact]
    public void A_location_moves_the_whole_namespace_with_no_fallback_to_the_name()
    {
        Assert.Equal(["new.example/moved/app:2"], Places(Sources(Mirrored), "old.example/app:2", byDigest: false));
    }

    [Fact]
    public void A_blocked_namespace_refuses_every_read_and_names_the_file_and_prefix()
    {
        var ex = Assert.Throws<RegistryException>(() => Sources(Mirrored).Locations(ImageReference.Parse("registry.corp.example/app:1"), byDigest: false));
        Assert.Equal(RegistryFailure.Blocked, ex.Failure);
        Assert.Contains("registries.conf", ex.Message, StringComparison.Ordinal);
        Assert.Contains("*.corp.example", ex.Message, StringComparison.Ordinal);
        // The wildcard covers subdomains only, not the domain itself.
        Assert.Equal(["corp.example/app:1"], Places(Sources(Mirrored), "corp.example/app:1", byDigest: false));
    }

    [Fact]
    public void Mirror_by_digest_only_keeps_tags_on_the_location()
    {
        var sources = Sources("""
            [[registry]]
            location = "docker.io"
            mirror-by-digest-only = true
            [[registry.mirror]]
            location = "hub-cache.example/hub"
            """);
        Assert.Equal(["docker.io/library/alpine:3"], Places(sources, "alpine:3", byDigest: false));
        Assert.Equal([$"hub-cache.example/hub/library/alpine@{Digest}", $"docker.io/library/alpine@{Digest}"], Places(sources, $"alpine@{Digest}", byDigest: true));
    }

    [Fact]
    public void Insecure_locations_and_mirrors_count_by_their_host()
    {
        var toml = """
            [[registry]]
            location = "127.0.0.1:5000"
            insecure = true
            [[registry]]
            location = "quay.io"
            [[registry.mirror]]
            location = "10.0.0.9:5000/quay"
            insecure = true
            """;
        Assert.Equal(["127.0.0.1:5000", "10.0.0.9:5000"], RegistriesConf.ParseInsecure(toml, "registries.conf"));
    }

    [Fact]
    public void The_older_lists_are_read_as_namespaces_and_mixing_both_forms_is_refused()
    {
        var sources = Sources("""
            [registries.search]
            registries = ["docker.io"]
            [registries.insecure]
            registries = ["10.0.0.1:5000"]
            [registries.block]
            registries = ["bad.example"]
            """);
        Assert.Equal(RegistryFailure.Blocked, Assert.Throws<RegistryException>(() => sources.Locations(ImageReference.Parse("bad.example/x:1"), false)).Failure);
        Assert.True(sources.For(ImageReference.Parse("10.0.0.1:5000/x"))!.Insecure);

        var ex = Assert.Throws<FormatException>(() => RegistriesConf.Parse("[registries.block]\nregistries = [\"a.example\"]\n[[registry]]\nlocation = \"b.example\"\n", "mixed.conf"));
        Assert.Contains("mixed.conf", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[[registry]]\nlocation = \"q.example\"\n[[registry.mirror]]\nlocation = \"m.example\"\npull-from-mirror = \"sometimes\"\n", "pull-from-mirror")]
    [InlineData("[[registry]]\nlocation = \"q.example\"\n[[registry.mirror]]\ninsecure = true\n", "no location")]
    [InlineData("[[registry]]\ninsecure = true\n", "neither prefix nor location")]
    [InlineData("[[registry]]\nprefix = \"*.example/x\"\n", "wildcard")]
    [InlineData("[[registry]]\nlocation = \"q.example\"\nblocked = \"yes\"\n", "'blocked' must be true or false")]
    [InlineData("[[registry]]\nlocation = 5\n", "'location' must be a string")]
    [InlineData("registry = \"x\"\n", "array of tables")]
    [InlineData("[[registry]\n", "bad.conf")]
    [InlineData("[[registry]]\nlocation = \"q.example\"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = \"m.example\"\npull-from-mirror = \"tag-only\"\n", "mirror-by-digest-only")]
    public void A_table_podman_would_refuse_is_a_clear_error_naming_the_file(string toml, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => RegistriesConf.Parse(toml, "bad.conf"));
        Assert.Contains("bad.conf", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_drop_in_replaces_the_table_with_the_same_prefix_and_adds_new_ones()
    {
        var folder = Directory.CreateTempSubdirectory("ua-regconf-");
        try
        {
            var main = Path.Combine(folder.FullName, "registries.conf");
            File.WriteAllText(main, "[[registry]]\nlocation = \"quay.io\"\n[[registry.mirror]]\nlocation = \"old-mirror.example\"\n");
            Directory.CreateDirectory(main + ".d");
            File.WriteAllText(Path.Combine(main + ".d", "10-mirror.conf"), "[[registry]]\nlocation = \"quay.io\"\n[[registry.mirror]]\nlocation = \"new-mirror.example\"\n");
            File.WriteAllText(Path.Combine(main + ".d", "20-block.conf"), "[[registry]]\nlocation = \"bad.example\"\nblocked = true\n");
            File.WriteAllText(Path.Combine(main + ".d", "notes.txt"), "not read");

            var sources = RegistriesConf.Read(main);

            Assert.Equal(["new-mirror.example/app:1", "quay.io/app:1"], Places(sources, "quay.io/app:1", byDigest: false));
            Assert.True(sources.For(ImageReference.Parse("bad.example/x"))!.Blocked);
            Assert.EndsWith("10-mirror.conf", sources.For(ImageReference.Parse("quay.io/app"))!.Source, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_users_own_registries_conf_and_drop_ins_count_for_that_user()
    {
        var home = Directory.CreateTempSubdirectory("ua-home-");
        try
        {
            var folder = Path.Combine(home.FullName, ".config", "containers");
            Directory.CreateDirectory(Path.Combine(folder, "registries.conf.d"));
            Assert.DoesNotContain(RegistriesConf.ReadForUser(home.FullName).Namespaces, n => n.Source.StartsWith(home.FullName, StringComparison.Ordinal));

            File.WriteAllText(Path.Combine(folder, "registries.conf.d", "50-mine.conf"), "[[registry]]\nlocation = \"quay.io\"\n[[registry.mirror]]\nlocation = \"mine.example/quay\"\n");
            Assert.Equal(["mine.example/quay/app:1", "quay.io/app:1"], Places(RegistriesConf.ReadForUser(home.FullName), "quay.io/app:1", byDigest: false));

            File.WriteAllText(Path.Combine(folder, "registries.conf"), "[[registry]]\nlocation = \"ghcr.io\"\nblocked = true\n");
            var sources = RegistriesConf.ReadForUser(home.FullName);
            Assert.True(sources.For(ImageReference.Parse("ghcr.io/x/y"))!.Blocked);
            Assert.NotNull(sources.For(ImageReference.Parse("quay.io/app")));
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_missing_file_means_every_image_is_read_where_it_is_named()
    {
        var sources = RegistriesConf.Read("/nonexistent/registries.conf");
        Assert.Equal(["quay.io/app:1"], Places(sources, "quay.io/app:1", byDigest: false));
    }
}
