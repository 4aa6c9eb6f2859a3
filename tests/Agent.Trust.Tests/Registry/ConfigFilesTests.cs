using System.Text;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Tests.Registry;

public sealed class ConfigFilesTests
{
    [Fact]
    public void Auth_file_picks_the_most_specific_entry_and_understands_docker_urls()
    {
        var json = "{\"auths\":{"
            + "\"reg.test\":{\"auth\":\"" + B64("host:1") + "\"},"
            + "\"reg.test/team\":{\"auth\":\"" + B64("team:2") + "\"},"
            + "\"https://index.docker.io/v1/\":{\"auth\":\"" + B64("hub:3:with:colons") + "\"}}}";
        var file = AuthFile.Parse(Encoding.UTF8.GetBytes(json), "auth.json");

        Assert.Equal("team", file.Find("reg.test", "team/app")!.Username);
        Assert.Equal("host", file.Find("reg.test", "other/app")!.Username);
        Assert.Equal("3:with:colons", file.Find("docker.io", "library/nginx")!.Password);
        Assert.Null(file.Find("elsewhere.test", "a/b"));
    }

    [Fact]
    public void Auth_file_path_follows_podman_search_order()
    {
        Assert.Equal("/x/auth.json", AuthFile.DefaultPath(n => n == "REGISTRY_AUTH_FILE" ? "/x/auth.json" : "/run/user/5"));
        Assert.Equal("/run/user/5/containers/auth.json", AuthFile.DefaultPath(n => n == "XDG_RUNTIME_DIR" ? "/run/user/5" : null));
        Assert.Equal("/run/containers/0/auth.json", AuthFile.DefaultPath(_ => null));
    }

    [Fact]
    public void Malformed_auth_entry_is_reported_with_its_key()
    {
        var ex = Assert.Throws<FormatException>(() => AuthFile.Parse("""{"auths":{"reg.test":{"auth":"bm9jb2xvbg=="}}}"""u8, "auth.json"));
        Assert.Contains("reg.test", ex.Message, StringComparison.Ordinal);
    }

    // Found while writing bench/fuzz's auth-json target: a null entry threw NullReferenceException.
    [Fact]
    public void A_null_auth_entry_is_no_login_as_podman_reads_it()
    {
        var file = AuthFile.Parse("""{"auths":{"x":null,"reg.test":{"username":"u","password":"p"}}}"""u8, "auth.json");

        Assert.Null(file.Find("x", "a/b"));
        Assert.Equal("u", file.Find("reg.test", "a/b")!.Username);
    }

    [Fact]
    public void Registries_conf_lists_only_insecure_registries()
    {
        var toml = """
            unqualified-search-registries = ["docker.io"]
            [[registry]]
            location = "127.0.0.1:5000"
            insecure = true
            [[registry]]
            location = "quay.io"
            """;
        Assert.Equal(["127.0.0.1:5000"], RegistriesConf.ParseInsecure(toml, "registries.conf"));
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
