using CsCheck;
using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.DBus.Tests;

/// <summary>Generators of D-Bus signatures and of values that fit a given signature.</summary>
internal static class DBusGen
{
    private static readonly string[] BasicCodes = ["y", "b", "n", "q", "i", "u", "x", "t", "d", "h", "s", "o", "g"];

    public static readonly Gen<string> Basic = Gen.OneOfConst(BasicCodes);

    /// <summary>A single complete type nested at most <paramref name="depth"/> levels.</summary>
    public static Gen<string> CompleteType(int depth)
    {
        if (depth == 0)
        {
            return Gen.OneOf(Basic, Gen.Const("v"));
        }
        var inner = CompleteType(depth - 1);
        return Gen.Frequency(
            (4, Gen.OneOf(Basic, Gen.Const("v"))),
            (2, inner.Select(t => "a" + t)),
            (2, inner.Array[1, 3].Select(ts => "(" + string.Concat(ts) + ")")),
            (2, Gen.Select(Basic, inner, (k, v) => "a{" + k + v + "}")));
    }

    public static readonly Gen<string> Signature = CompleteType(3).Array[0, 4].Select(string.Concat).Where(s => s.Length <= 255);

    private static readonly Gen<string> Text = Gen.String[Gen.Char.Where(c => c != '\0' && !char.IsSurrogate(c)), 0, 12];

    private static readonly Gen<string> PathGen =
        Gen.String[Gen.Char.AlphaNumeric, 1, 5].Array[0, 3].Select(parts => "/" + string.Join('/', parts));

    /// <summary>A value of the single complete type <paramref name="signature"/>, in the generic model.</summary>
    public static Gen<object> Value(string signature) => Value(signature, variantDepth: 0);

    private static Gen<object> Value(string signature, int variantDepth)
    {
        switch (signature[0])
        {
            case 'y': return Gen.Byte.Select(v => (object)v);
            case 'b': return Gen.Bool.Select(v => (object)v);
            case 'n': return Gen.Short.Select(v => (object)v);
            case 'q': return Gen.UShort.Select(v => (object)v);
            case 'i': return Gen.Int.Select(v => (object)v);
            case 'u': return Gen.UInt.Select(v => (object)v);
            case 'x': return Gen.Long.Select(v => (object)v);
            case 't': return Gen.ULong.Select(v => (object)v);
            case 'd': return Gen.Double.Select(v => (object)v);
            case 'h': return Gen.UInt.Select(v => (object)new UnixFdIndex(v));
            case 's': return Text.Select(v => (object)v);
            case 'o': return PathGen.Select(v => (object)new ObjectPath(v));
            case 'g': return Signature.Select(v => (object)new SignatureValue(v));
            case 'v':
                {
                    var inner = variantDepth < 2 ? CompleteType(2) : Basic;
                    return inner.SelectMany(sig => Value(sig, variantDepth + 1).Select(v => (object)new DBusVariant(sig, v)));
                }
            case 'a':
                {
                    var element = signature[1..];
                    if (element == "y")
                    {
                        return Gen.Byte.Array[0, 8].Select(v => (object)v);
                    }
                    return Value(element, variantDepth).Array[0, 3].Select(items => (object)new DBusArray(element, items));
                }
            case '(':
                {
                    var fields = SignatureRules.SplitCompleteTypes(signature[1..^1]);
                    return Sequence(fields.Select(f => Value(f, variantDepth))).Select(values => (object)new DBusStruct(values));
                }
            case '{':
                {
                    var key = signature[1].ToString();
                    var value = signature[2..^1];
                    return Gen.Select(Value(key, variantDepth), Value(value, variantDepth), (k, v) => (object)new DBusDictEntry(k, v));
                }
            default:
                throw new ArgumentException(signature);
        }
    }

    /// <summary>A signature with values for each of its complete types.</summary>
    public static readonly Gen<(string Signature, object[] Values)> Body =
        Signature.SelectMany(sig =>
            Sequence(SignatureRules.SplitCompleteTypes(sig).Select(t => Value(t))).Select(values => (sig, values)));

    private static Gen<object[]> Sequence(IEnumerable<Gen<object>> gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<object>()), (acc, g) => Gen.Select(acc, g, (a, v) => a.Append(v).ToArray()));
}
