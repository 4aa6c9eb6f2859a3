namespace UpdateAgent.DBus.Protocol;

/// <summary>Shortcuts to marshal a whole body from values in the generic model.</summary>
public static class Marshal
{
    /// <summary>Marshals <paramref name="values"/>, one per complete type of <paramref name="signature"/>.</summary>
    public static byte[] Body(string signature, params object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        SignatureRules.Validate(signature);
        var types = SignatureRules.SplitCompleteTypes(signature);
        if (types.Count != values.Length)
        {
            throw new ArgumentException($"signature '{signature}' has {types.Count} complete types, {values.Length} values given", nameof(values));
        }
        var writer = new MessageWriter(64);
        for (var i = 0; i < types.Count; i++)
        {
            writer.WriteValue(types[i], values[i]);
        }
        return writer.ToArray();
    }
}
