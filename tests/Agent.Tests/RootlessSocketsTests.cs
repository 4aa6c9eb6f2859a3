using UpdateAgent.Commands;

namespace UpdateAgent.Tests;

/// <summary>Rootless users found from /run/user below a folder standing in for /, named from its /etc/passwd.</summary>
public sealed class RootlessSocketsTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ua-rootless-");

    public void Dispose() => _root.Delete(recursive: true);

    private void Write(string path, string text = "")
    {
        var full = Path.Join(_root.FullName, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    [Fact]
    public void Users_with_a_socket_are_named_from_passwd_by_uid_and_root_is_not_one()
    {
        Write("etc/passwd", "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nbroken line\n");
        Write("run/user/0/podman/podman.sock");
        Write("run/user/1000/podman/podman.sock");
        Write("run/user/1001/podman/podman.sock");
        Write("run/user/1002/bus");
        Directory.CreateDirectory(Path.Join(_root.FullName, "run/user/not-a-uid"));

        Assert.Equal(["alice", "1001"], RootlessSockets.Find(_root.FullName).Select(s => s.User));
        Assert.EndsWith("run/user/1000/podman/podman.sock", RootlessSockets.Find(_root.FullName)[0].Socket, StringComparison.Ordinal);
        Assert.Equal(["alice", "1001", "1002"], RootlessSockets.Users(_root.FullName).Select(u => u.User));
    }

    [Fact]
    public void No_run_user_means_no_users() => Assert.Empty(RootlessSockets.Users(_root.FullName));
}
