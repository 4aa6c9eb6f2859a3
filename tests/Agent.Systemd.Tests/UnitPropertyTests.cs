namespace UpdateAgent.Systemd.Tests;

/// <summary>Reading a service's ExecStart= commands and a unit file's state, against a real dbus-daemon and a scripted systemd.</summary>
public sealed class UnitPropertyTests
{
    private static readonly string[] Quadlet =
    [
        "/usr/bin/podman", "run", "--name", "systemd-web", "--cgroups=split", "--rm", "--sdnotify=conmon", "-d",
        "--pull", "newer", "127.0.0.1:5000/web:latest",
    ];

    [Fact]
    public async Task Every_command_is_read_with_its_whole_argv()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.ExecStart["web.service"] = [Quadlet, ["/bin/sh", "-c", "echo 'two words' \"and quotes\""], ["/usr/bin/true"]];
        var commands = await bus.Client.GetExecStartAsync("web.service");
        Assert.Equal(3, commands.Count);
        Assert.Equal(Quadlet, commands[0]);
        Assert.Equal(["/bin/sh", "-c", "echo 'two words' \"and quotes\""], commands[1]);
        Assert.Equal(["/usr/bin/true"], commands[2]);
    }

    [Fact]
    public async Task Arguments_that_are_not_ascii_or_empty_come_back_as_they_were()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.ExecStart["a-b@c.service"] = [["/usr/bin/echo", "", "grüße", "日本"]];
        Assert.Equal(["/usr/bin/echo", "", "grüße", "日本"], Assert.Single(await bus.Client.GetExecStartAsync("a-b@c.service")));
    }

    [Fact]
    public async Task A_service_without_commands_and_a_unit_that_is_not_a_service_have_none()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        Assert.Empty(await bus.Client.GetExecStartAsync("idle.service"));
        Assert.Empty(await bus.Client.GetExecStartAsync("podman-auto-update.timer"));
        bus.Systemd.NotServices.Add("alias.service");
        Assert.Empty(await bus.Client.GetExecStartAsync("alias.service"));
    }

    [Fact]
    public async Task A_unit_systemd_cannot_load_is_an_error_by_name()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        var e = await Assert.ThrowsAsync<SystemdErrorReplyException>(() => bus.Client.GetExecStartAsync(FakeSystemd.MissingUnit));
        Assert.Equal(SystemdNames.NoSuchUnitError, e.ErrorName);
    }

    [Fact]
    public async Task Too_many_commands_are_refused_whole_naming_the_limit()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.ExecStart["many.service"] = Enumerable.Range(0, ExecCommands.MaxCommands + 1).Select(i => (IReadOnlyList<string>)["/bin/true", $"{i}"]).ToList();
        var e = await Assert.ThrowsAsync<SystemdException>(() => bus.Client.GetExecStartAsync("many.service"));
        Assert.Contains($"more than {ExecCommands.MaxCommands} commands", e.Message, StringComparison.Ordinal);
        Assert.Contains("ExecStart", e.Message, StringComparison.Ordinal);

        bus.Systemd.ExecStart["many.service"] = bus.Systemd.ExecStart["many.service"].Take(ExecCommands.MaxCommands).ToList();
        Assert.Equal(ExecCommands.MaxCommands, (await bus.Client.GetExecStartAsync("many.service")).Count);
    }

    [Fact]
    public async Task Too_many_or_too_long_arguments_are_refused_naming_the_limit()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.ExecStart["wide.service"] = [["/bin/true", .. Enumerable.Repeat("x", ExecCommands.MaxArguments)]];
        var wide = await Assert.ThrowsAsync<SystemdException>(() => bus.Client.GetExecStartAsync("wide.service"));
        Assert.Contains($"more than {ExecCommands.MaxArguments} arguments", wide.Message, StringComparison.Ordinal);

        bus.Systemd.ExecStart["long.service"] = [["/bin/true", new string('x', ExecCommands.MaxArgumentBytes + 1)]];
        var longer = await Assert.ThrowsAsync<SystemdException>(() => bus.Client.GetExecStartAsync("long.service"));
        Assert.Contains($"longer than {ExecCommands.MaxArgumentBytes} bytes", longer.Message, StringComparison.Ordinal);

        // Within each limit, but not together.
        bus.Systemd.ExecStart["big.service"] = Enumerable.Range(0, 20).Select(_ => (IReadOnlyList<string>)["/bin/true", new string('y', ExecCommands.MaxArgumentBytes)]).ToList();
        var big = await Assert.ThrowsAsync<SystemdException>(() => bus.Client.GetExecStartAsync("big.service"));
        Assert.Contains($"longer than {ExecCommands.MaxTotalBytes} bytes together", big.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unit_file_state_is_read_and_a_missing_file_has_none()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.UnitFileStates["podman-auto-update.timer"] = "enabled";
        Assert.Equal("enabled", await bus.Client.GetUnitFileStateAsync("podman-auto-update.timer"));
        Assert.Equal("", await bus.Client.GetUnitFileStateAsync("nothing.timer"));
    }
}
