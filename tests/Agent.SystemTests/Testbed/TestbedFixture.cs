using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Testbed;

/// <summary>
/// One booted testbed per test run: a Debian guest with real systemd, dbus-daemon,
/// journald and podman under systemd-nspawn, and a registry on the host's loopback.
/// Which guest is UPDATE_AGENT_TESTBED_GUEST's (test.sh runs the suite once per guest).
/// Boot or teardown failures fail the tests loudly; nothing is skipped.
/// </summary>
public sealed class TestbedFixture : IAsyncLifetime
{
    private static readonly string Scripts = Path.Combine(ProcessRunner.RepositoryRoot, "tests", "testbed");
    private Dictionary<string, string> _env = new(StringComparer.Ordinal);

    /// <summary>Which guest booted: a folder of tests/testbed/guests (<see cref="Guests"/>).</summary>
    public string Guest => _env["TESTBED_GUEST"];

    /// <summary>The guest's podman version, as <c>podman version</c> prints it (4.3.1, 5.4.2).</summary>
    public string PodmanVersion => _env["TESTBED_PODMAN_VERSION"];

    /// <summary>What the guest is, in a line (tests/testbed/guests/GUEST/about).</summary>
    public string GuestDescription => File.ReadAllText(Path.Combine(Scripts, "guests", Guest, "about")).Trim();

    /// <summary>PID (on the host) of the guest's systemd.</summary>
    public int GuestPid => int.Parse(_env["TESTBED_GUEST_PID"], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What <c>systemctl is-system-running</c> said when the guest finished booting.</summary>
    public string GuestState => _env["TESTBED_GUEST_STATE"];

    /// <summary>Milliseconds from starting nspawn to a booted guest and an answering registry.</summary>
    public string BootMilliseconds => _env["TESTBED_BOOT_MS"];

    /// <summary>The guest's D-Bus system bus socket, reachable from the host.</summary>
    public string DBusSocket => _env["TESTBED_DBUS_SOCKET"];

    /// <summary>The guest's Podman API socket (socket-activated), reachable from the host.</summary>
    public string PodmanSocket => _env["TESTBED_PODMAN_SOCKET"];

    /// <summary>The guest's journald native socket, reachable from the host.</summary>
    public string JournalSocket => _env["TESTBED_JOURNAL_SOCKET"];

    /// <summary>The folder that holds this testbed's processes and mounts (the scripts' UPDATE_AGENT_TESTBED_STATE).</summary>
    public string State => _env["TESTBED_STATE"];

    /// <summary>host:port of the plain-HTTP registry on loopback, reachable from host and guest.</summary>
    public string Registry => _env["TESTBED_REGISTRY"];

    /// <summary>Boots the testbed (the root file system is built once and cached).</summary>
    public async Task InitializeAsync()
    {
        var up = await ProcessRunner.RunAsync(Path.Combine(Scripts, "up.sh"), [], TimeSpan.FromMinutes(15)).ConfigureAwait(false);
        up.EnsureSuccess("tests/testbed/up.sh");
        _env = up.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2 && parts[0].StartsWith("TESTBED_", StringComparison.Ordinal))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
    }

    /// <summary>Tears the testbed down whatever the tests did; leaves no process or mount behind.</summary>
    public async Task DisposeAsync()
    {
        await ProcessRunner.RunAsync(Path.Combine(Scripts, "down.sh"), [], TimeSpan.FromMinutes(2)).ConfigureAwait(false);
    }

    /// <summary>
    /// Fails the calling test, naming the guest and the reason, unless the testbed runs
    /// <paramref name="guest"/>: the guard of tests marked <see cref="OnlyOnGuestAttribute"/>, for
    /// runs that do not filter on the trait as test.sh does.
    /// </summary>
    public void RequireGuest(string guest, string reason) =>
        Assert.True(Guest == guest, $"this test is for the {guest} guest only ({reason}); the testbed runs {Guest}. test.sh leaves it out there (trait {Guests.Trait}={guest}).");

    /// <summary>Runs a command inside all of the guest's namespaces.</summary>
    public Task<ProcessResult> RunInGuestAsync(params string[] command) =>
        ProcessRunner.RunAsync("nsenter", ["-t", GuestPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-a", .. command], TimeSpan.FromMinutes(3));

    /// <summary>Runs a shell script inside the guest and fails with its output unless it succeeds.</summary>
    public async Task<string> ShellInGuestAsync(string script)
    {
        var result = await RunInGuestAsync("/bin/sh", "-c", script).ConfigureAwait(false);
        return result.EnsureSuccess($"guest: {script}").StandardOutput;
    }

    /// <summary>Writes a file inside the guest (through its root as the host sees it).</summary>
    public Task WriteGuestFileAsync(string guestPath, string content) =>
        File.WriteAllTextAsync($"/proc/{GuestPid}/root{guestPath}", content);

    /// <summary>
    /// Builds a tiny busybox image (httpd on port 8080 serving /www, with /www/health unless
    /// <paramref name="healthFile"/> is false), pushes it to the loopback registry, returns its digest.
    /// </summary>
    public async Task<string> PushImageAsync(string reference, IEnumerable<string>? labels = null, string? command = null, bool healthFile = true)
    {
        var args = new List<string> { reference };
        if (!healthFile)
        {
            args.Add("--no-health-file");
        }
        foreach (var label in labels ?? [])
        {
            args.Add("--label");
            args.Add(label);
        }
        if (command is not null)
        {
            args.Add("--cmd");
            args.Add(command);
        }
        var result = await ProcessRunner.RunAsync(Path.Combine(Scripts, "image.sh"), args).ConfigureAwait(false);
        return result.EnsureSuccess($"image.sh {reference}").StandardOutput.Trim();
    }
}

/// <summary>Every system test class joins this collection, so the testbed boots once per run.</summary>
[CollectionDefinition(Name)]
public sealed class TestbedCollection : ICollectionFixture<TestbedFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "testbed";
}
