using UpdateAgent.Core.Engine;

namespace UpdateAgent.Core.Tests;

/// <summary>Which ExecStart= lines pull the tag on every start, as systemd hands them over (argv per command).</summary>
public sealed class PullOnStartTests
{
    // What systemd 257 reports for Quadlet units of podman 5.4.2 (Debian 13 guest) with
    // Image=127.0.0.1:5002/web:latest, AutoUpdate=registry, Network=host and Pull=POLICY.
    private static string[] Quadlet(string policy) =>
    [
        "/usr/bin/podman", "run", "--name", "systemd-qweb", "--cidfile=/run/qweb.cid", "--replace", "--rm", "--cgroups=split",
        "--pull", policy, "--network", "host", "--sdnotify=conmon", "-d", "--label", "io.containers.autoupdate=registry",
        "127.0.0.1:5002/web:latest",
    ];

    // The same without Pull=: Quadlet writes no --pull at all.
    private static readonly string[] QuadletDefault =
    [
        "/usr/bin/podman", "run", "--name", "systemd-qweb", "--cidfile=/run/qweb.cid", "--replace", "--rm", "--cgroups=split",
        "--sdnotify=conmon", "-d", "127.0.0.1:5002/web:latest",
    ];

    private static string? Of(params string[][] commands) => PullOnStart.Reason(commands);

    [Theory]
    [InlineData("newer")]
    [InlineData("always")]
    public void Quadlet_units_with_Pull_newer_or_always_pull_on_start(string policy)
    {
        var reason = Of(Quadlet(policy));
        Assert.NotNull(reason);
        Assert.Equal($"ExecStart runs 'podman run --pull {policy}', which pulls the tag on every start and can start an image update-agent never verified; " +
            "set Pull=missing (Quadlet) or --pull=missing or --pull=never", reason);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("never")]
    public void Quadlet_units_with_Pull_missing_or_never_do_not(string policy) => Assert.Null(Of(Quadlet(policy)));

    [Fact]
    public void A_quadlet_unit_without_Pull_does_not() => Assert.Null(Of(QuadletDefault));

    [Theory]
    [InlineData("/usr/bin/podman run --pull=newer -d img:latest", "podman run --pull=newer")]
    [InlineData("podman create --pull=ALWAYS img:latest", "podman create --pull=ALWAYS")]
    [InlineData("/usr/bin/podman run --pull IfNewer img", "podman run --pull IfNewer")]
    [InlineData("/usr/bin/podman container run --rm --pull=always img", "podman container run --pull=always")]
    [InlineData("/usr/bin/podman --log-level debug --root /var/lib/c run --pull=newer img", "podman run --pull=newer")]
    [InlineData("/usr/bin/podman --cgroup-manager=systemd --remote run --pull always img", "podman run --pull always")]
    [InlineData("/usr/bin/env podman run --pull=always img", "podman run --pull=always")]
    [InlineData("/usr/bin/env -i PATH=/usr/bin -u HOME podman run --pull=newer img", "podman run --pull=newer")]
    public void Hand_written_lines_that_pull_are_named(string line, string named)
    {
        var reason = Of(line.Split(' '));
        Assert.NotNull(reason);
        Assert.StartsWith($"ExecStart runs '{named}'", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/usr/bin/podman run --pull=missing img")]
    [InlineData("/usr/bin/podman run --pull never img")]
    [InlineData("/usr/bin/podman start --attach web")]
    [InlineData("/usr/bin/podman pull img:latest")]
    [InlineData("/usr/bin/podman kube play --replace /etc/containers/kube/web.yml")]
    [InlineData("/usr/bin/podman run img -- --pull=always")]
    [InlineData("/usr/bin/podman --log-level run")]
    [InlineData("/usr/bin/podman run --pull")]
    [InlineData("/usr/bin/podman-compose up --pull=always")]
    [InlineData("/usr/bin/docker run --pull=always img")]
    [InlineData("/usr/bin/env")]
    [InlineData("/usr/bin/env podman")]
    [InlineData("/usr/bin/podman")]
    public void Lines_that_do_not_pull_on_start_pass(string line) => Assert.Null(Of(line.Split(' ')));

    [Theory]
    [InlineData("/bin/sh", "-c", "exec /usr/bin/podman run --pull=always --rm img", "'sh -c' with 'podman run --pull=always'")]
    [InlineData("/bin/bash", "-ec", "podman rm -f web || true; podman run --name web \"--pull\" 'newer' img", "'bash -c' with 'podman run --pull newer'")]
    [InlineData("/usr/bin/sh", "-c", "echo start && podman --root /srv run \\\n  --pull=always img", "'sh -c' with 'podman run --pull=always'")]
    public void Shell_scripts_are_read_word_by_word(string shell, string flag, string script, string named)
    {
        var reason = Of([shell, flag, script]);
        Assert.NotNull(reason);
        Assert.StartsWith($"ExecStart runs {named}", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/bin/sh", "-c", "podman run --pull=missing img; echo --pull=always")]
    [InlineData("/bin/sh", "-c", "podman run img\n--pull=always")]
    [InlineData("/bin/sh", "-c", "")]
    [InlineData("/bin/sh", "-x", "podman run --pull=always img")]
    [InlineData("/bin/sh", "/usr/local/bin/start-web", "--pull=always")]
    public void Scripts_that_do_not_pull_pass(string shell, string flag, string script) => Assert.Null(Of([shell, flag, script]));

    [Fact]
    public void The_pulling_command_is_found_among_others()
    {
        Assert.NotNull(Of(["/usr/bin/true"], [], QuadletDefault, Quadlet("newer")));
        Assert.Null(Of(["/usr/bin/true"], [], QuadletDefault, Quadlet("missing")));
    }

    [Fact]
    public void Junk_is_judged_without_throwing()
    {
        Assert.Null(PullOnStart.Reason([]));
        Assert.Null(PullOnStart.Reason(null!));
        Assert.Null(PullOnStart.Reason([null!, [], [""], [null!], ["/", "", ""], ["podman", null!, null!], ["sh", "-c", null!]]));
        Assert.Null(Of(["/usr/bin/podman", .. Enumerable.Repeat("--root", 3000)]));
    }

    [Fact]
    public void Input_too_large_to_judge_whole_is_reported_not_cleared()
    {
        var many = Enumerable.Repeat<IReadOnlyList<string>>(["/usr/bin/true"], PullOnStart.MaxCommands + 1).ToList();
        Assert.Contains($"more than the {PullOnStart.MaxCommands}", PullOnStart.Reason(many), StringComparison.Ordinal);
        Assert.Null(PullOnStart.Reason(many.Take(PullOnStart.MaxCommands).ToList()));

        var wide = Of(["/usr/bin/podman", "run", .. Enumerable.Repeat("-d", PullOnStart.MaxArguments)]);
        Assert.Contains($"more than the {PullOnStart.MaxArguments}", wide, StringComparison.Ordinal);

        var script = Of(["/bin/sh", "-c", new string(' ', PullOnStart.MaxScriptLength) + "podman run --pull=always img"]);
        Assert.Contains($"more than the {PullOnStart.MaxScriptLength}", script, StringComparison.Ordinal);
    }
}
