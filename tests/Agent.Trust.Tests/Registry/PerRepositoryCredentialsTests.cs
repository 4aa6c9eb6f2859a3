using System.Text;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Tests.Registry;

/// <summary>A repository given its own auth file (podman's authfile label) is read with that file only; the rest with the default.</summary>
public sealed class PerRepositoryCredentialsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("per-repo-auth-").FullName;

    [Fact]
    public void A_repository_with_its_own_auth_file_uses_only_that_file_and_others_the_default()
    {
        var fallback = AuthFile.Parse(Encoding.UTF8.GetBytes(Auth("reg.test", "default:1")), "default");
        var own = Write("own.json", Auth("reg.test", "labelled:2"));
        var store = new PerRepositoryCredentials(fallback);
        store.SetAuthFiles(new Dictionary<string, string> { ["reg.test/team/app"] = own });

        Assert.Equal("labelled", store.Find("reg.test", "team/app")?.Username);
        Assert.Equal("default", store.Find("reg.test", "team/other")?.Username);
        Assert.Equal(own, store.AuthFileFor("reg.test", "team/app"));

        // The next discovery no longer names it: the default counts again.
        store.SetAuthFiles(new Dictionary<string, string>());
        Assert.Equal("default", store.Find("reg.test", "team/app")?.Username);
    }

    [Fact]
    public void An_own_auth_file_without_an_entry_or_missing_gives_no_credentials_rather_than_the_default()
    {
        var fallback = AuthFile.Parse(Encoding.UTF8.GetBytes(Auth("reg.test", "default:1")), "default");
        var store = new PerRepositoryCredentials(fallback);
        store.SetAuthFiles(new Dictionary<string, string>
        {
            ["reg.test/a"] = Write("other.json", Auth("elsewhere.test", "x:y")),
            ["reg.test/b"] = Path.Combine(_folder, "missing.json"),
        });

        Assert.Null(store.Find("reg.test", "a"));
        Assert.Null(store.Find("reg.test", "b"));
    }

    [Fact]
    public void A_changed_auth_file_is_read_again_and_a_malformed_one_is_named()
    {
        var path = Write("changing.json", Auth("reg.test", "first:1"));
        var store = new PerRepositoryCredentials(AuthFile.Empty);
        store.SetAuthFiles(new Dictionary<string, string> { ["reg.test/app"] = path });
        Assert.Equal("first", store.Find("reg.test", "app")?.Username);

        File.WriteAllText(path, Auth("reg.test", "second-login:2"));
        Assert.Equal("second-login", store.Find("reg.test", "app")?.Username);

        File.WriteAllText(path, "{ not json");
        var e = Assert.Throws<RegistryException>(() => store.Find("reg.test", "app"));
        Assert.Equal(RegistryFailure.Unauthorized, e.Failure);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("io.containers.autoupdate.authfile", e.Message, StringComparison.Ordinal);
    }

    private static string Auth(string registry, string userColonPassword) =>
        "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(userColonPassword)) + "\"}}}";

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
