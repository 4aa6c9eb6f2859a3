using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.DBus.Tests;

/// <summary>
/// Re-encodes a parsed message in big-endian order by walking its values, so the reader's
/// big-endian path is tested against every type without a second writer in the product.
/// </summary>
internal static class BigEndian
{
    public static byte[] Convert(Message message)
    {
        var output = new List<byte>();
        void Pad(int alignment) { while (output.Count % alignment != 0) { output.Add(0); } }
        void U32(uint v) { Pad(4); output.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]); }
        void Raw(ulong v, int size) { Pad(size); for (var i = size - 1; i >= 0; i--) { output.Add((byte)(v >> (8 * i))); } }
        void Str(string s) { var b = System.Text.Encoding.UTF8.GetBytes(s); U32((uint)b.Length); output.AddRange(b); output.Add(0); }
        void Sig(string s) { output.Add((byte)s.Length); output.AddRange(System.Text.Encoding.ASCII.GetBytes(s)); output.Add(0); }

        void Value(string sig, object value)
        {
            switch (sig[0])
            {
                case 'y': output.Add((byte)value); break;
                case 'b': U32((bool)value ? 1u : 0u); break;
                case 'n': Raw((ushort)(short)value, 2); break;
                case 'q': Raw((ushort)value, 2); break;
                case 'i': U32((uint)(int)value); break;
                case 'u': U32((uint)value); break;
                case 'h': U32(((UnixFdIndex)value).Index); break;
                case 'x': Raw((ulong)(long)value, 8); break;
                case 't': Raw((ulong)value, 8); break;
                case 'd': Raw(BitConverter.DoubleToUInt64Bits((double)value), 8); break;
                case 's': Str((string)value); break;
                case 'o': Str(((ObjectPath)value).Value); break;
                case 'g': Sig(((SignatureValue)value).Value); break;
                case 'v': { var v = (DBusVariant)value; Sig(v.Signature); Value(v.Signature, v.Value); break; }
                case 'a':
                    {
                        var element = sig[1..];
                        U32(0);
                        var lengthAt = output.Count - 4;
                        Pad(SignatureRules.Alignment(element[0]));
                        var start = output.Count;
                        if (value is byte[] bytes) { output.AddRange(bytes); }
                        else { foreach (var item in ((DBusArray)value).Items) { Value(element, item); } }
                        var length = (uint)(output.Count - start);
                        output[lengthAt] = (byte)(length >> 24); output[lengthAt + 1] = (byte)(length >> 16);
                        output[lengthAt + 2] = (byte)(length >> 8); output[lengthAt + 3] = (byte)length;
                        break;
                    }
                case '(':
                    {
                        Pad(8);
                        var types = SignatureRules.SplitCompleteTypes(sig[1..^1]);
                        var fields = ((DBusStruct)value).Fields;
                        for (var i = 0; i < types.Count; i++) { Value(types[i], fields[i]); }
                        break;
                    }
                case '{':
                    {
                        Pad(8);
                        var entry = (DBusDictEntry)value;
                        Value(sig[1].ToString(), entry.Key);
                        Value(sig[2..^1], entry.Value);
                        break;
                    }
            }
        }

        var body = new List<byte>();
        output.AddRange([(byte)'B', (byte)message.Type, (byte)message.Flags, 1]);
        U32(0); // body length, patched below
        U32(message.Serial);
        var fields = new List<(byte, string, object)>();
        if (message.Path is { } p) { fields.Add((1, "o", p)); }
        if (message.Interface is { } i1) { fields.Add((2, "s", i1)); }
        if (message.Member is { } m) { fields.Add((3, "s", m)); }
        if (message.Destination is { } d) { fields.Add((6, "s", d)); }
        if (message.Signature.Length > 0) { fields.Add((8, "g", new SignatureValue(message.Signature))); }
        Value("a(yv)", new DBusArray("(yv)", fields.Select(f => (object)new DBusStruct([f.Item1, new DBusVariant(f.Item2, f.Item3)])).ToList()));
        Pad(8);
        var bodyStart = output.Count;
        var types = SignatureRules.SplitCompleteTypes(message.Signature);
        var values = message.ReadBody();
        for (var k = 0; k < types.Count; k++) { Value(types[k], values[k]); }
        var bodyLength = (uint)(output.Count - bodyStart);
        output[4] = (byte)(bodyLength >> 24); output[5] = (byte)(bodyLength >> 16); output[6] = (byte)(bodyLength >> 8); output[7] = (byte)bodyLength;
        return output.ToArray();
    }
}
