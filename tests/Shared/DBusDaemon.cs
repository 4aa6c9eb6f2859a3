using System.Diagnostics;

namespace UpdateAgent.Testing;

/// <summary>A real dbus-daemon on a private socket, started for one test and killed after it.</summary>
public sealed class DBusDaemon : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private DBusDaemon(Process process, string directory, string address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    /// <summary>The address the daemon listens on.</summary>
    public string Address { get; }

    public static async Task<DBusDaemon> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("update-agent-dbus-").FullName;
        var socket = Path.Combine(directory, "bus");
        var config = Path.Combine(directory, "bus.conf");
        await File.WriteAllTextAsync(config, $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>session</type>
              <listen>unix:path={socket}</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
              </policy>
            </busconfig>
            """);
        var psi = new ProcessStartInfo("dbus-daemon")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { $"--config-file={config}", "--nofork", "--print-address=1" })
        {
            psi.ArgumentList.Add(arg);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("dbus-daemon did not start (is the dbus package installed?)");
        var address = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException("dbus-daemon printed no address: " + await process.StandardError.ReadToEndAsync());
        return new DBusDaemon(process, directory, address.Trim());
    }

    /// <summary>Kills the daemon at once, as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
