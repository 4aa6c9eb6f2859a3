using System.Globalization;
using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.DBus.Tests;

/// <summary>A canonical text form of generic D-Bus values, so tests compare whole trees at once.</summary>
internal static class DBusValueText
{
    public static string Format(object value) => value switch
    {
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        byte y => y.ToString(CultureInfo.InvariantCulture) + "y",
        short n => n.ToString(CultureInfo.InvariantCulture) + "n",
        ushort q => q.ToString(CultureInfo.InvariantCulture) + "q",
        int i => i.ToString(CultureInfo.InvariantCulture),
        uint u => u.ToString(CultureInfo.InvariantCulture) + "u",
        long x => x.ToString(CultureInfo.InvariantCulture) + "x",
        ulong t => t.ToString(CultureInfo.InvariantCulture) + "t",
        double d => BitConverter.DoubleToInt64Bits(d).ToString("x16", CultureInfo.InvariantCulture) + "d",
        byte[] bytes => "bytes:" + Convert.ToHexStringLower(bytes),
        ObjectPath o => "o:" + o.Value,
        SignatureValue g => "g:" + g.Value,
        UnixFdIndex h => "h:" + h.Index.ToString(CultureInfo.InvariantCulture),
        DBusVariant v => "<" + v.Signature + " " + Format(v.Value) + ">",
        DBusArray a => "[" + string.Join(", ", a.Items.Select(Format)) + "]",
        DBusStruct st => "(" + string.Join(", ", st.Fields.Select(Format)) + ")",
        DBusDictEntry e => "{" + Format(e.Key) + ": " + Format(e.Value) + "}",
        _ => throw new ArgumentException($"not a D-Bus value: {value.GetType()}"),
    };
}
