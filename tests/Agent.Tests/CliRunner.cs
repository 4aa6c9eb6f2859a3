using System.CommandLine;

namespace UpdateAgent.Tests;

/// <summary>Runs the real command tree in process, with its output captured, and a temporary folder for files.</summary>
internal sealed class CliRunner : IDisposable
{
    public CliRunner() => Folder = Directory.CreateTempSubdirectory("update-agent-cli-").FullName;

    public string Folder { get; }

    public string Write(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A configuration whose state lives in the temporary folder, and an empty but valid policy.</summary>
    public string Config(string extra = "")
    {
        var policy = Write("policy.toml", "[registries]\ninsecure = [\"127.0.0.1:5000\"]\n");
        return Write("agent.toml", $"""
            [agent]
            policy = "{policy}"
            state_directory = "{Folder}/state"
            podman_socket = "{Folder}/no-podman.sock"
            dbus_address = "unix:path={Folder}/no-bus"
            api_socket = "{Folder}/api.sock"
            {extra}
            """);
    }

    public async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.BuildRoot().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
