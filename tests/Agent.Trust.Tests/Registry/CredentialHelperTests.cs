using System.Text;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Tests.Registry;

/// <summary>An auth file's credHelpers: the helper is run as podman runs it, and whatever it does wrong is a clear refusal, never a hang or a leaked secret.</summary>
public sealed class CredentialHelperTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ua-credhelper-");

    private CredentialHelper Runner(TimeSpan? timeout = null) =>
        new(binary => File.Exists(Path.Combine(_folder.FullName, binary)) ? Path.Combine(_folder.FullName, binary) : null, timeout);

    private void Helper(string name, string script)
    {
        var path = Path.Combine(_folder.FullName, "docker-credential-" + name);
        File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private AuthFile File_(string json) => AuthFile.Parse(Encoding.UTF8.GetBytes(json), "auth.json", Runner());

    [Fact]
    public void A_registry_in_cred_helpers_gets_the_login_the_helper_prints_for_the_registry_on_its_input()
    {
        Helper("vault", """
            [ "$1" = get ] || exit 9
            read server
            printf '{"ServerURL":"%s","Username":"robot-%s","Secret":"s3cret"}' "$server" "$server"
            """);
        var file = File_("""{"credHelpers":{"quay.example":"vault"},"auths":{"quay.example":{"auth":"dXNlcjpwYXNz"},"other.example":{"auth":"dXNlcjpwYXNz"}}}""");

        var login = file.Find("quay.example", "team/app");

        Assert.Equal(("robot-quay.example", "s3cret"), (login?.Username, login?.Password));
        Assert.Equal("user", file.Find("other.example", "team/app")?.Username);
    }

    [Fact]
    public void A_helper_with_no_login_stored_means_anonymous_access()
    {
        Helper("empty", "echo 'credentials not found in native keychain'; exit 1");
        Assert.Null(File_("""{"credHelpers":{"quay.example":"empty"}}""").Find("quay.example", "app"));
    }

    [Theory]
    [InlineData("echo 'vault sealed' >&2; exit 3", "exited 3: vault sealed")]
    [InlineData("echo 'not json'", "not the JSON of a login")]
    [InlineData("echo '{\"Username\":\"<token>\",\"Secret\":\"refresh\"}'", "identity token")]
    [InlineData("head -c 200000 /dev/zero | tr '\\0' a", "larger than")]
    public void A_helper_that_fails_is_refused_with_its_reason_and_without_its_secret(string script, string expected)
    {
        Helper("bad", script);
        var ex = Assert.Throws<RegistryException>(() => File_("""{"credHelpers":{"quay.example":"bad"}}""").Find("quay.example", "app"));
        Assert.Equal(RegistryFailure.Unauthorized, ex.Failure);
        Assert.Contains("docker-credential-bad", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_helper_that_hangs_is_stopped_at_its_deadline()
    {
        Helper("slow", "exec sleep 60");
        var file = AuthFile.Parse("""{"credHelpers":{"quay.example":"slow"}}"""u8, "auth.json", Runner(TimeSpan.FromMilliseconds(300)));
        var ex = Assert.Throws<RegistryException>(() => file.Find("quay.example", "app"));
        Assert.Contains("no answer within", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_helper_is_named()
    {
        var ex = Assert.Throws<RegistryException>(() => File_("""{"credHelpers":{"quay.example":"absent"}}""").Find("quay.example", "app"));
        Assert.Contains("docker-credential-absent (credHelpers of quay.example): not found on the PATH", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../bin/sh")]
    [InlineData("a b")]
    [InlineData("")]
    public void A_helper_name_that_is_a_path_or_not_a_name_is_an_error_in_the_file(string name)
    {
        var ex = Assert.Throws<FormatException>(() => File_("{\"credHelpers\":{\"quay.example\":\"" + name + "\"}}"));
        Assert.Contains("credHelpers", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
