using System.Globalization;
using System.Security.Cryptography;
using UpdateAgent.SystemTests.Podman;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Packaging;

/// <summary>One line of packaging/files.txt: what the packages (and install.sh) put where.</summary>
/// <param name="Kind">file, config, link or dir.</param>
/// <param name="Package">"deb" or "rpm" for a line only one package has (KIND:deb), else empty.</param>
internal sealed record ManifestEntry(string Kind, string Package, string Mode, string Path, string Source)
{
    /// <summary>Permission bits as ls prints them, with the type letter first (d, l or -).</summary>
    public string Permissions
    {
        get
        {
            var bits = Convert.ToInt32(Mode, 8);
            var rwx = string.Concat(Enumerable.Range(0, 9).Select(i => (bits & (1 << (8 - i))) != 0 ? "rwx"[i % 3] : '-'));
            return (Kind switch { "dir" => "d", "link" => "l", _ => "-" }) + rwx;
        }
    }

    /// <summary>The file a file or config entry is installed from: the published binary, a man page built from docs/man, or a file of the repository.</summary>
    public string SourceFile(string binaryDirectory, string manDirectory) =>
        Source.StartsWith("@bin/", StringComparison.Ordinal) ? System.IO.Path.Combine(binaryDirectory, Source["@bin/".Length..])
        : Source.StartsWith("@man/", StringComparison.Ordinal) ? System.IO.Path.Combine(manDirectory, Source["@man/".Length..])
        : System.IO.Path.Combine(ProcessRunner.RepositoryRoot, Source);
}

/// <summary>Builds each package once per run from the published binary, as packaging/*/build.sh does for a release.</summary>
internal static class Packages
{
    private static readonly string Output = Path.Combine(Path.GetTempPath(), $"update-agent-packages-{Environment.ProcessId}");
    private static readonly Lazy<Task<string>> DebPackage = new(() => BuildAsync("deb"));
    private static readonly Lazy<Task<string>> RpmPackage = new(() => BuildAsync("rpm"));
    private static readonly Lazy<Task<string>> ManPages = new(BuildManPagesAsync);

    static Packages() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        if (Directory.Exists(Output))
        {
            Directory.Delete(Output, recursive: true);
        }
    };

    public static string BinaryDirectory
    {
        get
        {
            var dir = Path.Combine(ProcessRunner.RepositoryRoot, "artifacts", "aot");
            Assert.True(File.Exists(Path.Combine(dir, "update-agent")),
                $"{dir}/update-agent is missing: ./test.sh publishes it before the tests (dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -o artifacts/aot)");
            return dir;
        }
    }

    public static string Version => File.ReadAllText(Path.Combine(ProcessRunner.RepositoryRoot, "packaging", "VERSION")).Trim();

    /// <summary>The lines of packaging/files.txt one package (deb or rpm) installs.</summary>
    public static IReadOnlyList<ManifestEntry> ManifestOf(string package) => File.ReadAllLines(Path.Combine(ProcessRunner.RepositoryRoot, "packaging", "files.txt"))
        .Select(line => line.Trim())
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Select(f => (Kind: f[0].Split(':'), Fields: f))
        .Select(e => new ManifestEntry(e.Kind[0], e.Kind.Length > 1 ? e.Kind[1] : "", e.Fields[1], e.Fields[2], e.Fields[3]))
        .Where(m => m.Package.Length == 0 || m.Package == package)
        .ToList();

    /// <summary>The man pages as packaging/man/build.sh makes them (reproducibly), to compare the packages' with.</summary>
    public static Task<string> ManDirectoryAsync() => ManPages.Value;

    private static async Task<string> BuildManPagesAsync()
    {
        var dir = Path.Combine(Output, "man");
        (await ProcessRunner.RunAsync(Path.Combine(ProcessRunner.RepositoryRoot, "packaging", "man", "build.sh"), [dir])).EnsureSuccess("packaging/man/build.sh");
        return dir;
    }

    public static Task<string> DebAsync() => DebPackage.Value;

    public static Task<string> RpmAsync() => RpmPackage.Value;

    private static async Task<string> BuildAsync(string kind)
    {
        var script = Path.Combine(ProcessRunner.RepositoryRoot, "packaging", kind, "build.sh");
        var result = (await ProcessRunner.RunAsync(script, [BinaryDirectory, Output], TimeSpan.FromMinutes(5))).EnsureSuccess($"packaging/{kind}/build.sh");
        var package = result.StandardOutput.Trim();
        Assert.True(File.Exists(package), $"packaging/{kind}/build.sh printed '{package}', which does not exist");
        return package;
    }

    public static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
}

/// <summary>
/// The DEB and the RPM build from the published binary and hold exactly what packaging/files.txt
/// lists, with its modes, links, configuration files and contents.
/// </summary>
public sealed class PackageContentTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_deb_builds_and_holds_exactly_the_manifest()
    {
        var deb = await Packages.DebAsync();
        Assert.Equal($"update-agent_{Packages.Version}_amd64.deb", Path.GetFileName(deb));
        output.WriteLine($"{deb}: {new FileInfo(deb).Length} bytes");

        var listing = (await ProcessRunner.RunAsync("dpkg-deb", ["-c", deb])).EnsureSuccess("dpkg-deb -c").StandardOutput;
        // -rwxr-xr-x root/root  23980448 2026-01-01 00:00 ./usr/lib/update-agent/update-agent
        var entries = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Select(f => (Permissions: f[0], Owner: f[1], Name: f[5]))
            .Select(e =>
            {
                var parts = e.Name.Split(" -> ");
                return (e.Permissions, e.Owner, Path: "/" + parts[0].TrimStart('.').Trim('/'), Target: parts.Length > 1 ? parts[1] : "");
            })
            .ToList();
        Assert.All(entries, e => Assert.Equal("root/root", e.Owner));

        var manifest = Packages.ManifestOf("deb");
        // Every file and link, and nothing else: exactly the manifest.
        Assert.Equal(
            manifest.Where(m => m.Kind != "dir").Select(m => $"{m.Permissions} {m.Path} {(m.Kind == "link" ? m.Source : "")}").Order(StringComparer.Ordinal),
            entries.Where(e => e.Permissions[0] != 'd').Select(e => $"{e.Permissions} {e.Path} {e.Target}").Order(StringComparer.Ordinal));
        // The directories the package owns; the rest are the standard parents.
        foreach (var dir in manifest.Where(m => m.Kind == "dir"))
        {
            Assert.Contains(entries, e => e.Path == dir.Path && e.Permissions == dir.Permissions);
        }
        Assert.All(entries.Where(e => e.Permissions[0] == 'd'), e => Assert.Equal("drwxr-xr-x", e.Permissions));

        var conffiles = (await ProcessRunner.RunAsync("dpkg-deb", ["--info", deb, "conffiles"])).EnsureSuccess("dpkg-deb --info conffiles").StandardOutput;
        Assert.Equal(manifest.Where(m => m.Kind == "config").Select(m => m.Path),
            conffiles.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        var control = (await ProcessRunner.RunAsync("dpkg-deb", ["-f", deb, "Package", "Version", "Architecture"])).EnsureSuccess("dpkg-deb -f").StandardOutput;
        Assert.Equal($"Package: update-agent\nVersion: {Packages.Version}\nArchitecture: amd64\n", control.ReplaceLineEndings("\n"));

        // SQLite is the system's: a dependency, never a copy in the package.
        var depends = (await ProcessRunner.RunAsync("dpkg-deb", ["-f", deb, "Depends"])).EnsureSuccess("dpkg-deb -f Depends").StandardOutput;
        output.WriteLine($"Depends: {depends.Trim()}");
        Assert.Contains("libsqlite3-0", depends.Split(',', StringSplitOptions.TrimEntries));
        Assert.DoesNotContain(entries, e => e.Path.Contains("sqlite", StringComparison.OrdinalIgnoreCase));

        // The contents are the sources, byte for byte (the AOT binary is not stripped or changed).
        var extracted = Directory.CreateTempSubdirectory("update-agent-deb-");
        try
        {
            (await ProcessRunner.RunAsync("dpkg-deb", ["-x", deb, extracted.FullName])).EnsureSuccess("dpkg-deb -x");
            var man = await Packages.ManDirectoryAsync();
            foreach (var file in manifest.Where(m => m.Kind is "file" or "config"))
            {
                Assert.True(Packages.Sha256(file.SourceFile(Packages.BinaryDirectory, man)) == Packages.Sha256(extracted.FullName + file.Path),
                    $"{file.Path} in the DEB differs from {file.Source}");
            }
        }
        finally
        {
            extracted.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_rpm_builds_and_holds_exactly_the_manifest()
    {
        var rpm = await Packages.RpmAsync();
        Assert.Equal($"update-agent-{Packages.Version}-1.x86_64.rpm", Path.GetFileName(rpm));
        output.WriteLine($"{rpm}: {new FileInfo(rpm).Length} bytes");

        var query = await ProcessRunner.RunAsync("rpm", ["-qp", "--qf", "[%{FILEMODES:perms}|%{FILEUSERNAME}|%{FILEGROUPNAME}|%{FILEFLAGS:fflags}|%{FILENAMES}|%{FILELINKTOS}|%{FILEDIGESTS}\n]", rpm]);
        var entries = query.EnsureSuccess("rpm -qp").StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|'))
            .Select(f => (Permissions: f[0], Owner: $"{f[1]}/{f[2]}", Flags: f[3], Path: f[4], Target: f[5], Digest: f[6]))
            .ToList();
        Assert.All(entries, e => Assert.Equal("root/root", e.Owner));

        // rpm -qlp lists exactly what the package owns: every manifest entry, directories included.
        var manifest = Packages.ManifestOf("rpm");
        Assert.Equal(
            manifest.Select(m => $"{m.Permissions} {m.Path} {(m.Kind == "link" ? m.Source : "")}").Order(StringComparer.Ordinal),
            entries.Select(e => $"{e.Permissions} {e.Path} {e.Target}").Order(StringComparer.Ordinal));
        // Fit for a bootc image as it is: only /usr (the image's) and /etc (merged on upgrade); nothing
        // in /var, which an image upgrade never touches (the state comes from tmpfiles and StateDirectory=).
        Assert.All(entries, e => Assert.True(e.Path.StartsWith("/usr/", StringComparison.Ordinal) && !e.Path.StartsWith("/usr/local/", StringComparison.Ordinal)
            || e.Path.StartsWith("/etc/", StringComparison.Ordinal), $"the RPM ships {e.Path}, outside /usr and /etc"));
        var listed = (await ProcessRunner.RunAsync("rpm", ["-qlp", rpm])).EnsureSuccess("rpm -qlp").StandardOutput;
        Assert.Equal(manifest.Select(m => m.Path).Order(StringComparer.Ordinal), listed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

        // %config(noreplace) for the policy ("c" config, "n" noreplace), nothing else is configuration.
        foreach (var entry in entries)
        {
            var kind = manifest.Single(m => m.Path == entry.Path).Kind;
            Assert.True(kind == "config" ? entry.Flags == "cn" : !entry.Flags.Contains('c', StringComparison.Ordinal), $"{entry.Path} has file flags '{entry.Flags}'");
        }

        // The contents are the sources, byte for byte (rpm 4.18 records SHA-256 digests).
        var man = await Packages.ManDirectoryAsync();
        foreach (var file in manifest.Where(m => m.Kind is "file" or "config"))
        {
            Assert.True(Packages.Sha256(file.SourceFile(Packages.BinaryDirectory, man)) == entries.Single(e => e.Path == file.Path).Digest,
                $"{file.Path} in the RPM differs from {file.Source}");
        }

        // SQLite is the system's (sqlite-libs on Fedora/RHEL): required, not shipped, not provided.
        Assert.DoesNotContain(entries, e => e.Path.Contains("sqlite", StringComparison.OrdinalIgnoreCase));
        var requires = (await ProcessRunner.RunAsync("rpm", ["-qp", "--requires", rpm])).EnsureSuccess("rpm --requires").StandardOutput;
        var provides = (await ProcessRunner.RunAsync("rpm", ["-qp", "--provides", rpm])).EnsureSuccess("rpm --provides").StandardOutput;
        output.WriteLine(requires);
        Assert.DoesNotContain("libe_sqlite3", requires, StringComparison.Ordinal);
        Assert.Contains("sqlite-libs", requires.Split('\n', StringSplitOptions.TrimEntries));
        Assert.DoesNotContain("sqlite", provides, StringComparison.Ordinal);
        Assert.Contains("podman", requires.Split('\n', StringSplitOptions.TrimEntries));

        // On a first install it takes over from podman-auto-update.timer only when the preset enabled
        // the agent, recording it where install.sh does; an erase enables the timer again only then.
        var scripts = (await ProcessRunner.RunAsync("rpm", ["-qp", "--scripts", rpm])).EnsureSuccess("rpm --scripts").StandardOutput;
        var post = scripts[scripts.IndexOf("postinstall scriptlet", StringComparison.Ordinal)..scripts.IndexOf("preuninstall scriptlet", StringComparison.Ordinal)];
        Assert.Contains("is-enabled --quiet update-agent.service", post, StringComparison.Ordinal);
        Assert.Contains("disable --now podman-auto-update.timer", post, StringComparison.Ordinal);
        Assert.Contains("/var/lib/update-agent/timer-was-enabled", post, StringComparison.Ordinal);
        var postun = scripts[scripts.IndexOf("postuninstall scriptlet", StringComparison.Ordinal)..];
        Assert.Contains("enable --now podman-auto-update.timer", postun, StringComparison.Ordinal);
        Assert.Contains("systemd", requires.Split('\n', StringSplitOptions.TrimEntries));
    }
}

/// <summary>
/// The DEB in the testbed guest, a real Debian with systemd and podman: dpkg -i enables and starts
/// the agent, which finds a container unit and, with the default policy (no [[image]] rule),
/// refuses it "no-policy"; a reinstall keeps a changed policy and the service; remove stops it
/// and keeps configuration and state; purge leaves the guest as it was. podman-auto-update.timer,
/// enabled before, is disabled whenever the package enables the agent and enabled again on remove.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class DebInstallTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private const string Timer = "podman-auto-update.timer";
    private const string App = "pkg-app";
    private const string SetAside = "/run/update-agent-config-set-aside";
    private static readonly string[] Gone =
    [
        "/usr/bin/update-agent", "/usr/lib/update-agent", "/usr/lib/systemd/system/update-agent.service",
        "/usr/lib/systemd/user/update-agent.service", "/usr/lib/tmpfiles.d/update-agent.conf", "/usr/lib/systemd/catalog/update-agent.catalog",
        "/usr/share/update-agent", "/etc/update-agent", "/var/lib/update-agent",
        "/usr/share/man/man8/update-agent.8.gz", "/usr/share/man/man5/update-agent-policy.5.gz",
        "/usr/share/bash-completion/completions/update-agent", "/usr/share/zsh/vendor-completions/_update-agent",
    ];

    [Fact]
    public async Task The_deb_installs_starts_the_agent_and_purges_cleanly()
    {
        var deb = await Packages.DebAsync();
        var guestDeb = "/tmp/" + Path.GetFileName(deb);
        // install.sh --uninstall keeps /etc/update-agent when the administrator changed it (as the
        // demo does): set it aside for this test and put it back after.
        var keptConfiguration = (await testbed.RunInGuestAsync("test", "-e", "/etc/update-agent")).ExitCode == 0;
        if (keptConfiguration)
        {
            await testbed.ShellInGuestAsync($"mv /etc/update-agent {SetAside}");
        }
        // install.sh --uninstall leaves /usr/share/update-agent behind, empty: it goes with the purge
        // and comes back after.
        var emptyShare = (await testbed.RunInGuestAsync("rmdir", "/usr/share/update-agent")).ExitCode == 0;
        var timerWasEnabled = (await testbed.RunInGuestAsync("systemctl", "is-enabled", "--quiet", Timer)).ExitCode == 0;
        var timerWasActive = (await testbed.RunInGuestAsync("systemctl", "is-active", "--quiet", Timer)).ExitCode == 0;
        var image = $"{testbed.Registry}/{App}/app:latest";
        try
        {
            foreach (var path in Gone)
            {
                Assert.True((await testbed.RunInGuestAsync("test", "-e", path)).ExitCode != 0, $"the guest already has {path}: another install was not removed");
            }
            File.Copy(deb, $"/proc/{testbed.GuestPid}/root{guestDeb}", overwrite: true);

            // A container unit podman auto-update would manage, for the agent to find.
            var firstDigest = await testbed.PushImageAsync(image);
            await GuestUnits.InstallAndStartAsync(testbed, $"{App}.service", GuestUnits.Container(App, image));
            // As on a host that used podman auto-update: the timer is on; the agent takes over from it.
            await testbed.ShellInGuestAsync($"systemctl enable --now {Timer}");

            var install = await Dpkg("-i", guestDeb);
            Assert.Contains($"disabling {Timer}: update-agent takes over", install.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain($"{Timer} is still enabled", install.StandardError, StringComparison.Ordinal);
            await ActiveAsync();
            Assert.Equal("enabled", await GuestAsync("systemctl", "is-enabled", "update-agent"));
            await TimerAsync("disabled", "inactive");
            Assert.Equal("yes", await GuestAsync("cat", "/var/lib/update-agent/timer-was-enabled"));
            Assert.Equal("700 root", await GuestAsync("stat", "-c", "%a %U", "/var/lib/update-agent"));
            // The daemon's first pass finds the unit. Under the default policy (no [[image]] rule) nothing
            // verifies what it runs, so it is "unverified" — reported, never stopped — and a new :latest
            // is neither pulled nor restarted into.
            var status = await Poll.UntilAsync(
                async () => (await testbed.RunInGuestAsync("update-agent", "status")).EnsureSuccess("update-agent status").StandardOutput,
                text => text.Contains($"{App}.service", StringComparison.Ordinal), TimeSpan.FromMinutes(2), $"update-agent status listing {App}.service");
            output.WriteLine($"update-agent status:\n{status}");
            await testbed.PushImageAsync(image, ["org.opencontainers.image.version=2.0.0"]);
            var check = await testbed.RunInGuestAsync("update-agent", "check");
            output.WriteLine($"update-agent check: exit {check.ExitCode}\n{check.StandardOutput}{check.StandardError}");
            var line = check.StandardOutput.Split('\n').Single(l => l.StartsWith($"{App}.service", StringComparison.Ordinal));
            Assert.Equal(6, check.ExitCode);
            Assert.Contains("unverified", line, StringComparison.Ordinal);
            Assert.Contains("no-policy", line, StringComparison.Ordinal);
            Assert.Equal(firstDigest, (await testbed.ShellInGuestAsync($"podman inspect {App} --format '{{{{.ImageDigest}}}}'")).Trim());
            Assert.Equal("active", await GuestAsync("systemctl", "is-active", $"{App}.service"));
            // The man pages where man looks, and the shell completions (Debian's zsh reads vendor-completions).
            await Install.InstalledConventions.AssertAsync(testbed, output, "/usr/share", "/usr/share/zsh/vendor-completions");
            var show = await testbed.ShellInGuestAsync("systemctl show update-agent -p Type -p StatusText");
            output.WriteLine(show);
            Assert.Contains("Type=notify", show, StringComparison.Ordinal);
            Assert.Contains("StatusText=", show, StringComparison.Ordinal);

            // Reinstalled over itself with a changed policy: the policy is kept, the agent still runs.
            await testbed.ShellInGuestAsync("echo '# changed by the administrator' >> /etc/update-agent/policy.toml");
            await Dpkg("-i", guestDeb);
            Assert.Contains("# changed by the administrator", await GuestAsync("cat", "/etc/update-agent/policy.toml"), StringComparison.Ordinal);
            await ActiveAsync();
            await TimerAsync("disabled", "inactive");

            // Remove: stopped and disabled, the timer on again, configuration and state kept; a
            // reinstall enables the agent again and takes over from the timer again.
            var remove = await Dpkg("-r", "update-agent");
            Assert.Contains($"enabling {Timer} again", remove.StandardError, StringComparison.Ordinal);
            Assert.NotEqual("active", await GuestAsync("systemctl", "is-active", "update-agent"));
            await TimerAsync("enabled", "active");
            Assert.Equal(0, (await testbed.RunInGuestAsync("test", "-f", "/etc/update-agent/policy.toml")).ExitCode);
            Assert.Equal(0, (await testbed.RunInGuestAsync("test", "-d", "/var/lib/update-agent")).ExitCode);
            Assert.NotEqual(0, (await testbed.RunInGuestAsync("test", "-e", "/usr/bin/update-agent")).ExitCode);
            await Dpkg("-i", guestDeb);
            await ActiveAsync();
            Assert.Equal("enabled", await GuestAsync("systemctl", "is-enabled", "update-agent"));
            await TimerAsync("disabled", "inactive");

            // Purge: the service stops, every file, the configuration and the state go.
            await Dpkg("--purge", "update-agent");
            Assert.NotEqual("active", await GuestAsync("systemctl", "is-active", "update-agent"));
            Assert.Equal("not-found", await GuestAsync("systemctl", "show", "-p", "LoadState", "--value", "update-agent"));
            foreach (var path in Gone)
            {
                Assert.True((await testbed.RunInGuestAsync("test", "-e", path)).ExitCode != 0, $"{path} is left after dpkg --purge");
            }
            await TimerAsync("enabled", "active");

            // A timer the administrator had turned off stays off when the package goes.
            await testbed.ShellInGuestAsync($"systemctl disable --now {Timer}");
            await Dpkg("-i", guestDeb);
            Assert.Equal("no", await GuestAsync("cat", "/var/lib/update-agent/timer-was-enabled"));
            await Dpkg("--purge", "update-agent");
            await TimerAsync("disabled", "inactive");
        }
        finally
        {
            // Leave the guest as it was, whatever failed above.
            await testbed.RunInGuestAsync("dpkg", "--purge", "update-agent");
            await testbed.RunInGuestAsync("systemctl", timerWasEnabled ? "enable" : "disable", Timer);
            await testbed.RunInGuestAsync("systemctl", timerWasActive ? "start" : "stop", Timer);
            await testbed.RunInGuestAsync("systemctl", "reset-failed", "update-agent.service");
            await testbed.RunInGuestAsync("systemctl", "stop", $"{App}.service");
            await testbed.RunInGuestAsync("rm", "-f", $"/etc/systemd/system/{App}.service");
            await testbed.RunInGuestAsync("podman", "rmi", "--ignore", image);
            if (emptyShare)
            {
                await testbed.RunInGuestAsync("mkdir", "-p", "/usr/share/update-agent");
            }
            if (keptConfiguration)
            {
                await testbed.ShellInGuestAsync($"rm -rf /etc/update-agent && mv {SetAside} /etc/update-agent");
            }
            await testbed.RunInGuestAsync("systemctl", "daemon-reload");
            await testbed.RunInGuestAsync("rm", "-f", guestDeb);
        }
    }

    private async Task<ProcessResult> Dpkg(params string[] args)
    {
        var result = await testbed.RunInGuestAsync(["env", "DEBIAN_FRONTEND=noninteractive", "dpkg", .. args]);
        output.WriteLine($"dpkg {string.Join(' ', args)}: exit {result.ExitCode}\n{result.StandardOutput}{result.StandardError}");
        return result.EnsureSuccess($"dpkg {string.Join(' ', args)}");
    }

    private async Task<string> GuestAsync(params string[] command) => (await testbed.RunInGuestAsync(command)).StandardOutput.Trim();

    private async Task TimerAsync(string enabled, string active)
    {
        Assert.Equal(enabled, await GuestAsync("systemctl", "is-enabled", Timer));
        Assert.Equal(active, await GuestAsync("systemctl", "is-active", Timer));
    }

    private Task<string> ActiveAsync() => Poll.UntilAsync(
        () => GuestAsync("systemctl", "is-active", "update-agent"),
        state => state == "active", TimeSpan.FromMinutes(2), "update-agent.service becoming active");
}
