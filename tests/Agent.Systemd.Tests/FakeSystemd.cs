using UpdateAgent.DBus;
using UpdateAgent.DBus.Protocol;
using UpdateAgent.Systemd;

namespace UpdateAgent.Systemd.Tests;

/// <summary>
/// A stand-in for systemd's manager on a real dbus-daemon: it owns <c>org.freedesktop.systemd1</c>
/// and answers the manager calls the way systemd does, with a job behaviour the test chooses.
/// This tests our ordering logic; the real systemd is exercised in the system tests.
/// </summary>
internal sealed class FakeSystemd : IAsyncDisposable
{
    private uint _jobId = 100;

    private FakeSystemd(DBusConnection connection) => Connection = connection;

    public DBusConnection Connection { get; }

    /// <summary>What to do when a job method is called: emit JobRemoved with a result before replying, after, or never.</summary>
    public Func<string, (string? ResultBeforeReply, string? ResultAfterReply)> JobBehaviour { get; set; } = _ => ("done", null);

    /// <summary>Set when a job method arrives.</summary>
    public TaskCompletionSource JobRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeSystemd> StartAsync(string address)
    {
        var connection = await DBusConnection.ConnectAsync(address);
        var fake = new FakeSystemd(connection);
        connection.MethodCallHandler = fake.Handle;
        await connection.CallAsync(BusCalls.RequestName(SystemdNames.Destination));
        return fake;
    }

    private OutgoingMessage? Handle(Message call)
    {
        switch (call.Member)
        {
            case "Subscribe":
                return OutgoingMessage.Reply(call);
            case "LoadUnit" or "GetUnit":
                return OutgoingMessage.Reply(call, "o", Marshal.Body("o", new ObjectPath("/org/freedesktop/systemd1/unit/app_2eservice")));
            case "GetAll":
                {
                    var entries = call.GetBodyReader().ReadString() == SystemdNames.UnitInterface
                        ? new object[]
                        {
                            Entry("ActiveState", "s", "active"), Entry("SubState", "s", "running"), Entry("LoadState", "s", "loaded"),
                            Entry("InvocationID", "ay", new byte[] { 0xab, 0xcd }), Entry("ActiveEnterTimestamp", "t", 1_700_000_000_000_000ul),
                        }
                        : [Entry("Result", "s", "success"), Entry("NRestarts", "u", 2u), Entry("ExecMainStatus", "i", 0)];
                    return OutgoingMessage.Reply(call, "a{sv}", Marshal.Body("a{sv}", new DBusArray("{sv}", entries)));
                }
            case "RestartUnit" or "StartUnit" or "StopUnit":
                {
                    var unit = call.GetBodyReader().ReadString();
                    var job = $"/org/freedesktop/systemd1/job/{++_jobId}";
                    var (before, after) = JobBehaviour(unit);
                    // Another unit's job finishing at the same time must not be mistaken for ours.
                    EmitJobRemoved(_jobId + 1000, $"/org/freedesktop/systemd1/job/{_jobId + 1000}", "other.service", "failed");
                    if (before is not null)
                    {
                        EmitJobRemoved(_jobId, job, unit, before);
                    }
                    var reply = OutgoingMessage.Reply(call, "o", Marshal.Body("o", new ObjectPath(job)));
                    if (after is not null)
                    {
                        var id = _jobId;
                        _ = Task.Run(async () =>
                        {
                            await Task.Yield();
                            EmitJobRemoved(id, job, unit, after);
                        });
                    }
                    JobRequested.TrySetResult();
                    return reply;
                }
            default:
                return OutgoingMessage.Error(call, "org.freedesktop.DBus.Error.UnknownMethod", call.Member ?? "");
        }
    }

    private static DBusDictEntry Entry(string name, string signature, object value) => new(name, new DBusVariant(signature, value));

    private void EmitJobRemoved(uint id, string job, string unit, string result) =>
        Connection.Send(OutgoingMessage.Signal(SystemdNames.ManagerPath, SystemdNames.ManagerInterface, "JobRemoved", "uoss",
            Marshal.Body("uoss", id, new ObjectPath(job), unit, result)));

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
