namespace UpdateAgent.DBus.Protocol;

/// <summary>
/// The D-Bus type grammar: validation with the nesting limits, the length of one complete
/// type, and the alignment of each type code.
/// </summary>
public static class SignatureRules
{
    /// <summary>True when <paramref name="code"/> is a basic type (allowed as a dict key).</summary>
    public static bool IsBasic(char code) => code is 'y' or 'b' or 'n' or 'q' or 'i' or 'u' or 'x' or 't' or 'd' or 'h' or 's' or 'o' or 'g';

    /// <summary>Alignment in bytes of a value whose type starts with <paramref name="code"/>.</summary>
    public static int Alignment(char code) => code switch
    {
        'y' or 'g' or 'v' => 1,
        'n' or 'q' => 2,
        'b' or 'i' or 'u' or 'h' or 's' or 'o' or 'a' => 4,
        'x' or 't' or 'd' or '(' or '{' => 8,
        _ => throw new DBusProtocolException($"'{code}' is not a D-Bus type code"),
    };

    /// <summary>Throws <see cref="DBusProtocolException"/> unless <paramref name="signature"/> is a valid signature.</summary>
    public static void Validate(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Length > ProtocolLimits.MaxSignatureLength)
        {
            throw new DBusProtocolException($"signature is {signature.Length} bytes long, the limit is {ProtocolLimits.MaxSignatureLength}");
        }
        var position = 0;
        while (position < signature.Length)
        {
            position = ParseCompleteType(signature, position, arrays: 0, structs: 0, inArray: false);
        }
    }

    /// <summary>Throws unless <paramref name="signature"/> is exactly one complete type (what a variant may hold).</summary>
    public static void ValidateSingleCompleteType(string signature)
    {
        Validate(signature);
        if (signature.Length == 0 || CompleteTypeLength(signature, 0) != signature.Length)
        {
            throw new DBusProtocolException($"variant signature '{signature}' is not exactly one complete type");
        }
    }

    /// <summary>The length of the complete type that starts at <paramref name="start"/> of a valid signature.</summary>
    public static int CompleteTypeLength(string signature, int start)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var position = start;
        var open = 0;
        do
        {
            if (position >= signature.Length)
            {
                throw new DBusProtocolException($"signature '{signature}' ends inside a type");
            }
            var code = signature[position++];
            switch (code)
            {
                case 'a':
                    continue; // the element follows; an array is not complete on its own
                case '(' or '{':
                    open++;
                    break;
                case ')' or '}':
                    open--;
                    break;
            }
        }
        while (open > 0 || signature[position - 1] == 'a');
        return position - start;
    }

    /// <summary>Splits a valid signature into its complete types.</summary>
    public static IReadOnlyList<string> SplitCompleteTypes(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var types = new List<string>();
        for (var position = 0; position < signature.Length;)
        {
            var length = CompleteTypeLength(signature, position);
            types.Add(signature.Substring(position, length));
            position += length;
        }
        return types;
    }

    private static int ParseCompleteType(string signature, int position, int arrays, int structs, bool inArray)
    {
        if (position >= signature.Length)
        {
            throw new DBusProtocolException($"signature '{signature}' ends inside a type");
        }
        if (arrays + structs > ProtocolLimits.MaxTotalDepth)
        {
            throw new DBusProtocolException($"signature '{signature}' nests deeper than {ProtocolLimits.MaxTotalDepth}");
        }
        var code = signature[position];
        if (IsBasic(code) || code == 'v')
        {
            return position + 1;
        }
        switch (code)
        {
            case 'a':
                if (arrays + 1 > ProtocolLimits.MaxArrayDepth)
                {
                    throw new DBusProtocolException($"signature '{signature}' nests arrays deeper than {ProtocolLimits.MaxArrayDepth}");
                }
                return ParseCompleteType(signature, position + 1, arrays + 1, structs, inArray: true);
            case '(':
                {
                    if (structs + 1 > ProtocolLimits.MaxStructDepth)
                    {
                        throw new DBusProtocolException($"signature '{signature}' nests structs deeper than {ProtocolLimits.MaxStructDepth}");
                    }
                    var next = position + 1;
                    var members = 0;
                    while (next < signature.Length && signature[next] != ')')
                    {
                        next = ParseCompleteType(signature, next, arrays, structs + 1, inArray: false);
                        members++;
                    }
                    if (next >= signature.Length)
                    {
                        throw new DBusProtocolException($"signature '{signature}' has an unclosed struct");
                    }
                    if (members == 0)
                    {
                        throw new DBusProtocolException($"signature '{signature}' has an empty struct");
                    }
                    return next + 1;
                }
            case '{':
                {
                    if (!inArray)
                    {
                        throw new DBusProtocolException($"signature '{signature}' has a dict entry outside an array");
                    }
                    if (structs + 1 > ProtocolLimits.MaxStructDepth)
                    {
                        throw new DBusProtocolException($"signature '{signature}' nests structs deeper than {ProtocolLimits.MaxStructDepth}");
                    }
                    if (position + 1 >= signature.Length || !IsBasic(signature[position + 1]))
                    {
                        throw new DBusProtocolException($"signature '{signature}' has a dict entry whose key is not a basic type");
                    }
                    var next = ParseCompleteType(signature, position + 2, arrays, structs + 1, inArray: false);
                    if (next >= signature.Length || signature[next] != '}')
                    {
                        throw new DBusProtocolException($"signature '{signature}' has a dict entry without exactly two members");
                    }
                    return next + 1;
                }
            default:
                throw new DBusProtocolException($"signature '{signature}' contains '{code}', which is not a valid type code");
        }
    }
}
