using Tmds.DBus.Protocol;

namespace UpdateAgent.Systemd.Tests;

/// <summary>
/// A stand-in for systemd's manager on a real dbus-daemon: it owns <c>org.freedesktop.systemd1</c>
/// and answers the manager calls the way systemd does, with a job behaviour the test chooses.
/// This tests our ordering logic; the real systemd is exercised in the system tests.
/// </summary>
internal sealed class FakeSystemd : IPathMethodHandler, IAsyncDisposable
{
    public const string UnitPath = "/org/freedesktop/systemd1/unit/app_2eservice";

    /// <summary>GetUnit and LoadUnit answer NoSuchUnit for this unit, as systemd does for one it has not loaded.</summary>
    public const string MissingUnit = "missing.service";

    private readonly DBusConnection _connection;
    private readonly List<MethodContext> _unanswered = [];
    private readonly Dictionary<string, string> _unitsByPath = new(StringComparer.Ordinal);
    private uint _jobId = 100;
    private int _subscribes;
    private int _jobs;

    private FakeSystemd(DBusConnection connection) => _connection = connection;

    /// <summary>What to do when a job method is called: emit JobRemoved with a result before replying, after, or never.</summary>
    public Func<string, (string? ResultBeforeReply, string? ResultAfterReply)> JobBehaviour { get; set; } = _ => ("done", null);

    /// <summary>The ExecStart commands (argv) a unit answers; a unit not named here has none.</summary>
    public Dictionary<string, IReadOnlyList<IReadOnlyList<string>>> ExecStart { get; } = new(StringComparer.Ordinal);

    /// <summary>Units without the Service interface: Get answers UnknownInterface, as systemd does for a timer.</summary>
    public HashSet<string> NotServices { get; } = new(StringComparer.Ordinal);

    /// <summary>GetUnitFileState's answer per unit file; others answer FileNotFound, as systemd does for a file it has not.</summary>
    public Dictionary<string, string> UnitFileStates { get; } = new(StringComparer.Ordinal);

    /// <summary>Methods that get no reply at all, as from a hung peer.</summary>
    public HashSet<string> NeverAnswered { get; } = new(StringComparer.Ordinal);

    /// <summary>How many times Subscribe was called, over every connection.</summary>
    public int Subscribes => Volatile.Read(ref _subscribes);

    /// <summary>How many job methods (RestartUnit, StartUnit, StopUnit) arrived.</summary>
    public int Jobs => Volatile.Read(ref _jobs);

    /// <summary>Set when a job method arrives.</summary>
    public TaskCompletionSource JobRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when a call that is never answered arrives.</summary>
    public TaskCompletionSource UnansweredCallArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Path => SystemdNames.ManagerPath;

    public bool HandlesChildPaths => true;

    public static async Task<FakeSystemd> StartAsync(string address)
    {
        var connection = new DBusConnection(address);
        await connection.ConnectAsync();
        var fake = new FakeSystemd(connection);
        connection.AddMethodHandler(fake);
        await connection.RequestNameAsync(SystemdNames.Destination);
        return fake;
    }

    public ValueTask HandleMethodAsync(MethodContext context)
    {
        var member = context.Request.MemberAsString ?? "";
        if (member is "RestartUnit" or "StartUnit" or "StopUnit")
        {
            Interlocked.Increment(ref _jobs);
        }
        if (NeverAnswered.Contains(member))
        {
            context.DisposesAsynchronously = true; // keeps the library from answering for us
            lock (_unanswered)
            {
                _unanswered.Add(context);
            }
            UnansweredCallArrived.TrySetResult();
            return ValueTask.CompletedTask;
        }
        switch (member)
        {
            case "Subscribe":
                Interlocked.Increment(ref _subscribes);
                ReplyEmpty(context);
                break;
            case "Ping":
                ReplyEmpty(context);
                break;
            case "LoadUnit" or "GetUnit" when context.Request.GetBodyReader().ReadString() == MissingUnit:
                context.ReplyError(SystemdNames.NoSuchUnitError, $"Unit {MissingUnit} not loaded.");
                break;
            case "LoadUnit" or "GetUnit":
                ReplyObjectPath(context, PathOf(context.Request.GetBodyReader().ReadString()));
                break;
            case "GetAll":
                ReplyProperties(context, context.Request.GetBodyReader().ReadString() == SystemdNames.UnitInterface
                    ? new Dictionary<string, VariantValue>
                    {
                        ["ActiveState"] = "active", ["SubState"] = "running", ["LoadState"] = "loaded",
                        ["InvocationID"] = VariantValue.Array(new byte[] { 0xab, 0xcd }), ["ActiveEnterTimestamp"] = 1_700_000_000_000_000ul,
                    }
                    : new Dictionary<string, VariantValue> { ["Result"] = "success", ["NRestarts"] = 2u, ["ExecMainStatus"] = 0 });
                break;
            case "Get":
                ReplyProperty(context);
                break;
            case "GetUnitFileState":
                ReplyUnitFileState(context, context.Request.GetBodyReader().ReadString());
                break;
            case "ListUnitsByPatterns":
                ReplyUnitList(context);
                break;
            case "RestartUnit" or "StartUnit" or "StopUnit":
                RunJob(context);
                break;
            default:
                context.ReplyUnknownMethodError();
                break;
        }
        return ValueTask.CompletedTask;
    }

    private void RunJob(MethodContext context)
    {
        var unit = context.Request.GetBodyReader().ReadString();
        var id = ++_jobId;
        var job = $"/org/freedesktop/systemd1/job/{id}";
        var (before, after) = JobBehaviour(unit);
        // Another unit's job finishing at the same time must not be mistaken for ours.
        EmitJobRemoved(id + 1000, $"/org/freedesktop/systemd1/job/{id + 1000}", "other.service", "failed");
        if (before is not null)
        {
            EmitJobRemoved(id, job, unit, before);
        }
        ReplyObjectPath(context, job);
        if (after is not null)
        {
            _ = Task.Run(async () =>
            {
                await Task.Yield();
                EmitJobRemoved(id, job, unit, after);
            });
        }
        JobRequested.TrySetResult();
    }

    // systemd's object path of a unit: every byte but [A-Za-z0-9] escaped as _XX.
    private string PathOf(string unit)
    {
        var path = "/org/freedesktop/systemd1/unit/" + string.Concat(unit.Select(c => char.IsAsciiLetterOrDigit(c) ? c.ToString() : $"_{(int)c:x2}"));
        lock (_unitsByPath)
        {
            _unitsByPath[path] = unit;
        }
        return path;
    }

    private void ReplyProperty(MethodContext context)
    {
        var reader = context.Request.GetBodyReader();
        var (@interface, property) = (reader.ReadString(), reader.ReadString());
        string unit;
        lock (_unitsByPath)
        {
            unit = _unitsByPath.GetValueOrDefault(context.Request.PathAsString ?? "", "");
        }
        if (@interface == SystemdNames.ServiceInterface && NotServices.Contains(unit))
        {
            context.ReplyError("org.freedesktop.DBus.Error.UnknownInterface", $"Unknown interface {@interface}.");
        }
        else if (property == "ExecStart")
        {
            ReplyExecStart(context, ExecStart.GetValueOrDefault(unit, []));
        }
        else
        {
            ReplyStringVariant(context, "active");
        }
    }

    private static void ReplyExecStart(MethodContext context, IReadOnlyList<IReadOnlyList<string>> commands)
    {
        using var writer = context.CreateReplyWriter("v");
        writer.WriteSignature("a(sasbttttuii)");
        var array = writer.WriteArrayStart(DBusType.Struct);
        foreach (var argv in commands)
        {
            writer.WriteStructureStart();
            writer.WriteString(argv.Count > 0 ? argv[0] : "");
            writer.WriteArray(argv.ToArray());
            writer.WriteBool(false);
            for (var i = 0; i < 4; i++)
            {
                writer.WriteUInt64(1_700_000_000_000_000ul);
            }
            writer.WriteUInt32(42);
            writer.WriteInt32(1);
            writer.WriteInt32(0);
        }
        writer.WriteArrayEnd(array);
        context.Reply(writer.CreateMessage());
    }

    private void ReplyUnitFileState(MethodContext context, string unit)
    {
        if (!UnitFileStates.TryGetValue(unit, out var state))
        {
            context.ReplyError("org.freedesktop.DBus.Error.FileNotFound", $"Unit file {unit} does not exist.");
            return;
        }
        using var writer = context.CreateReplyWriter("s");
        writer.WriteString(state);
        context.Reply(writer.CreateMessage());
    }

    private static void ReplyEmpty(MethodContext context)
    {
        using var writer = context.CreateReplyWriter(null);
        context.Reply(writer.CreateMessage());
    }

    private static void ReplyObjectPath(MethodContext context, string path)
    {
        using var writer = context.CreateReplyWriter("o");
        writer.WriteObjectPath(path);
        context.Reply(writer.CreateMessage());
    }

    private static void ReplyStringVariant(MethodContext context, string value)
    {
        using var writer = context.CreateReplyWriter("v");
        writer.WriteVariantString(value);
        context.Reply(writer.CreateMessage());
    }

    private static void ReplyProperties(MethodContext context, Dictionary<string, VariantValue> properties)
    {
        using var writer = context.CreateReplyWriter("a{sv}");
        writer.WriteDictionary(properties);
        context.Reply(writer.CreateMessage());
    }

    private static void ReplyUnitList(MethodContext context)
    {
        using var writer = context.CreateReplyWriter("a(ssssssouso)");
        var rows = writer.WriteArrayStart(DBusType.Struct);
        foreach (var (name, state) in new[] { ("app.service", "active"), ("db.service", "failed") })
        {
            writer.WriteStructureStart();
            foreach (var field in new[] { name, $"the {name}", "loaded", state, state == "active" ? "running" : "failed", "" })
            {
                writer.WriteString(field);
            }
            writer.WriteObjectPath($"/org/freedesktop/systemd1/unit/{name.Replace(".", "_2e", StringComparison.Ordinal)}");
            writer.WriteUInt32(0);
            writer.WriteString("");
            writer.WriteObjectPath("/");
        }
        writer.WriteArrayEnd(rows);
        context.Reply(writer.CreateMessage());
    }

    private void EmitJobRemoved(uint id, string job, string unit, string result)
    {
        using var writer = _connection.GetMessageWriter();
        writer.WriteSignalHeader(null, SystemdNames.ManagerPath, SystemdNames.ManagerInterface, "JobRemoved", "uoss");
        writer.WriteUInt32(id);
        writer.WriteObjectPath(job);
        writer.WriteString(unit);
        writer.WriteString(result);
        _connection.TrySendMessage(writer.CreateMessage());
    }

    /// <summary>
    /// Leaves the bus the way a stopped systemd does, but in a known order: the name is released
    /// (the daemon has dropped it when the reply arrives) before the connection closes, so a call
    /// made afterwards is answered ServiceUnknown by the bus, never NoReply from a peer half gone.
    /// </summary>
    public async ValueTask LeaveBusAsync()
    {
        await _connection.ReleaseNameAsync(SystemdNames.Destination);
        await DisposeAsync();
    }

    public ValueTask DisposeAsync()
    {
        lock (_unanswered)
        {
            _unanswered.ForEach(context => context.Dispose());
        }
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
