using System.Text;
using Tmds.DBus.Protocol;

namespace UpdateAgent.Systemd;

/// <summary>
/// Reads the value of a service's <c>ExecStart</c> property, <c>a(sasbttttuii)</c> (path, argv,
/// ignore-failure, then start and exit times, pid and status, which are skipped), into the argv
/// of each command. What it keeps is bounded: a unit whose commands exceed the limits is reported
/// as such, never read in part, since a caller judging the commands must see all of them.
/// </summary>
internal static class ExecCommands
{
    /// <summary>The property's D-Bus type.</summary>
    public const string Signature = "a(sasbttttuii)";

    /// <summary>Most commands one property may hold (systemd allows any number; real units have a few).</summary>
    public const int MaxCommands = 64;

    /// <summary>Most arguments one command may have.</summary>
    public const int MaxArguments = 4096;

    /// <summary>Most UTF-8 bytes one argument may have.</summary>
    public const int MaxArgumentBytes = 64 * 1024;

    /// <summary>Most UTF-8 bytes of all arguments of all commands together.</summary>
    public const int MaxTotalBytes = 1024 * 1024;

    /// <summary>The reply of <c>Properties.Get(…Service, ExecStart)</c>: a variant holding <see cref="Signature"/>.</summary>
    public static readonly MessageValueReader<IReadOnlyList<IReadOnlyList<string>>> Reply = static (message, _) =>
    {
        var reader = message.GetBodyReader();
        var signature = reader.ReadSignatureAsString();
        if (signature != Signature)
        {
            throw new DBusUnexpectedValueException($"expected ExecStart of type {Signature}, got {Limit(signature, 64)}");
        }
        return Read(ref reader);
    };

    private static List<IReadOnlyList<string>> Read(ref Reader reader)
    {
        var commands = new List<IReadOnlyList<string>>();
        var total = 0;
        var end = reader.ReadArrayStart(DBusType.Struct);
        while (reader.HasNext(end))
        {
            if (commands.Count == MaxCommands)
            {
                throw new DBusUnexpectedValueException($"ExecStart holds more than {MaxCommands} commands");
            }
            reader.AlignStruct();
            reader.ReadStringAsSpan(); // path: argv[0] names the program as the unit wrote it
            var argv = new List<string>();
            var args = reader.ReadArrayStart(DBusType.String);
            while (reader.HasNext(args))
            {
                if (argv.Count == MaxArguments)
                {
                    throw new DBusUnexpectedValueException($"command {commands.Count + 1} of ExecStart has more than {MaxArguments} arguments");
                }
                var bytes = reader.ReadStringAsSpan();
                if (bytes.Length > MaxArgumentBytes)
                {
                    throw new DBusUnexpectedValueException($"argument {argv.Count + 1} of command {commands.Count + 1} of ExecStart is longer than {MaxArgumentBytes} bytes");
                }
                total += bytes.Length;
                if (total > MaxTotalBytes)
                {
                    throw new DBusUnexpectedValueException($"the arguments of ExecStart are longer than {MaxTotalBytes} bytes together");
                }
                argv.Add(Encoding.UTF8.GetString(bytes));
            }
            reader.ReadBool();
            reader.ReadUInt64(); // start and exit, realtime and monotonic
            reader.ReadUInt64();
            reader.ReadUInt64();
            reader.ReadUInt64();
            reader.ReadUInt32(); // pid, code, status
            reader.ReadInt32();
            reader.ReadInt32();
            commands.Add(argv);
        }
        return commands;
    }

    private static string Limit(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
