using System.Text;
using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.DBus;

/// <summary>
/// A signal match rule: sent to the bus with <c>AddMatch</c> and also applied locally, so a
/// handler sees only what it asked for even when other rules let more in.
/// </summary>
public sealed record MatchRule
{
    /// <summary>Sender (unique or well-known name; a well-known name is resolved to its owner when subscribing).</summary>
    public string? Sender { get; init; }

    /// <summary>Interface of the signal.</summary>
    public string? Interface { get; init; }

    /// <summary>Member (signal name).</summary>
    public string? Member { get; init; }

    /// <summary>Object path that emits it.</summary>
    public string? Path { get; init; }

    /// <summary>First argument, when it is a string.</summary>
    public string? Arg0 { get; init; }

    /// <summary>The rule as the bus reads it, e.g. <c>type='signal',interface='a.b',member='C'</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("type='signal'");
        Append(text, "sender", Sender);
        Append(text, "interface", Interface);
        Append(text, "member", Member);
        Append(text, "path", Path);
        Append(text, "arg0", Arg0);
        return text.ToString();
    }

    /// <summary>True when <paramref name="message"/> is a signal this rule selects; <paramref name="senderUniqueName"/> stands in for a well-known sender.</summary>
    public bool Matches(Message message, string? senderUniqueName)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Type == MessageType.Signal
            && (Sender is null || message.Sender == Sender || (senderUniqueName is not null && message.Sender == senderUniqueName))
            && (Interface is null || message.Interface == Interface)
            && (Member is null || message.Member == Member)
            && (Path is null || message.Path?.Value == Path)
            && (Arg0 is null || message.FirstStringArgument() == Arg0);
    }

    private static void Append(StringBuilder text, string key, string? value)
    {
        if (value is null)
        {
            return;
        }
        // Inside quotes only the apostrophe needs care: close, escaped apostrophe, reopen.
        text.Append(',').Append(key).Append("='").Append(value.Replace("'", "'\\''", StringComparison.Ordinal)).Append('\'');
    }
}
