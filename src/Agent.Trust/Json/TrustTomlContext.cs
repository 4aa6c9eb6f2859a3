using Tomlyn.Model;
using Tomlyn.Serialization;

namespace UpdateAgent.Trust.Json;

/// <summary>
/// Source-generated TOML metadata: TOML files are read into the untyped <see cref="TomlTable"/>
/// model and walked by hand, so every unknown or mistyped key can be reported by its path.
/// </summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class TrustTomlContext : TomlSerializerContext;
