namespace UpdateAgent.DBus.Protocol;

/// <summary>An OBJECT_PATH value (type <c>o</c>).</summary>
/// <param name="Value">The path, e.g. <c>/org/freedesktop/systemd1</c>.</param>
public readonly record struct ObjectPath(string Value)
{
    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>True when <paramref name="path"/> follows the object path rules.</summary>
    public static bool IsValid(string path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            return false;
        }
        if (path.Length == 1)
        {
            return true;
        }
        var elementLength = 0;
        for (var i = 1; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '/')
            {
                if (elementLength == 0)
                {
                    return false;
                }
                elementLength = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                elementLength++;
            }
            else
            {
                return false;
            }
        }
        return elementLength > 0;
    }
}

/// <summary>A SIGNATURE value (type <c>g</c>).</summary>
/// <param name="Value">The signature text.</param>
public readonly record struct SignatureValue(string Value)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>A UNIX_FD value (type <c>h</c>): an index into the message's descriptors.</summary>
/// <param name="Index">The index.</param>
public readonly record struct UnixFdIndex(uint Index);

/// <summary>A VARIANT value: one complete type and a value of it.</summary>
/// <param name="Signature">The signature of the value.</param>
/// <param name="Value">The value, in the generic model of <see cref="MessageReader.ReadValue"/>.</param>
public sealed record DBusVariant(string Signature, object Value);

/// <summary>An ARRAY value in the generic model.</summary>
/// <param name="ElementSignature">The signature of one element.</param>
/// <param name="Items">The elements; for a dict, <see cref="DBusDictEntry"/> items.</param>
public sealed record DBusArray(string ElementSignature, IReadOnlyList<object> Items);

/// <summary>A STRUCT value in the generic model.</summary>
/// <param name="Fields">The members in order.</param>
public sealed record DBusStruct(IReadOnlyList<object> Fields);

/// <summary>A DICT_ENTRY value in the generic model.</summary>
/// <param name="Key">The key (a basic value).</param>
/// <param name="Value">The value.</param>
public sealed record DBusDictEntry(object Key, object Value);
