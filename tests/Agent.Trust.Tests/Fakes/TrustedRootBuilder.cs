using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace UpdateAgent.Trust.Tests.Fakes;

/// <summary>Writes a <c>trusted_root.json</c> in the public-good shape from generated keys and CAs.</summary>
internal sealed class TrustedRootBuilder
{
    private readonly JsonArray _tlogs = [];
    private readonly JsonArray _ctlogs = [];
    private readonly JsonArray _cas = [];
    private readonly JsonArray _tsas = [];

    public static readonly DateTimeOffset LongAgo = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public string MediaType { get; set; } = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";

    public static byte[] LogId(byte[] spki) => SHA256.HashData(spki);

    public TrustedRootBuilder Tlog(byte[] rawBytes, string keyDetails, byte[] keyId, string baseUrl, DateTimeOffset? start = null, DateTimeOffset? end = null)
    {
        _tlogs.Add(Log(rawBytes, keyDetails, keyId, baseUrl, start, end));
        return this;
    }

    public TrustedRootBuilder Ctlog(byte[] rawBytes, string keyDetails, byte[] keyId, string baseUrl, DateTimeOffset? start = null, DateTimeOffset? end = null)
    {
        _ctlogs.Add(Log(rawBytes, keyDetails, keyId, baseUrl, start, end));
        return this;
    }

    public TrustedRootBuilder Ca(IEnumerable<X509Certificate2> chain, string uri, DateTimeOffset? start = null, DateTimeOffset? end = null)
    {
        _cas.Add(Authority(chain, uri, start, end));
        return this;
    }

    public TrustedRootBuilder Tsa(IEnumerable<X509Certificate2> chain, string uri, DateTimeOffset? start = null, DateTimeOffset? end = null)
    {
        _tsas.Add(Authority(chain, uri, start, end));
        return this;
    }

    public JsonObject ToJson() => new()
    {
        ["mediaType"] = MediaType,
        ["tlogs"] = _tlogs.DeepClone(),
        ["certificateAuthorities"] = _cas.DeepClone(),
        ["ctlogs"] = _ctlogs.DeepClone(),
        ["timestampAuthorities"] = _tsas.DeepClone(),
    };

    public string Write(string path)
    {
        File.WriteAllText(path, ToJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    private static JsonObject Log(byte[] rawBytes, string keyDetails, byte[] keyId, string baseUrl, DateTimeOffset? start, DateTimeOffset? end) => new()
    {
        ["baseUrl"] = baseUrl,
        ["hashAlgorithm"] = "SHA2_256",
        ["publicKey"] = new JsonObject
        {
            ["rawBytes"] = Convert.ToBase64String(rawBytes),
            ["keyDetails"] = keyDetails,
            ["validFor"] = Window(start, end),
        },
        ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(keyId) },
    };

    private static JsonObject Authority(IEnumerable<X509Certificate2> chain, string uri, DateTimeOffset? start, DateTimeOffset? end) => new()
    {
        ["subject"] = new JsonObject { ["organization"] = "update-agent tests", ["commonName"] = "test" },
        ["uri"] = uri,
        ["certChain"] = new JsonObject
        {
            ["certificates"] = new JsonArray(chain.Select(c => (JsonNode)new JsonObject { ["rawBytes"] = Convert.ToBase64String(c.RawData) }).ToArray()),
        },
        ["validFor"] = Window(start, end),
    };

    private static JsonObject Window(DateTimeOffset? start, DateTimeOffset? end)
    {
        var window = new JsonObject { ["start"] = (start ?? LongAgo).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) };
        if (end is { } e)
        {
            window["end"] = e.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }
        return window;
    }
}
