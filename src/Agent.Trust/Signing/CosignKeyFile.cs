using System.Security.Cryptography;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Signing;

/// <summary>
/// cosign's encrypted private key container: scrypt-derived key, NaCl secretbox
/// (XSalsa20-Poly1305) around a PKCS#8 key. Only the scrypt costs cosign writes are accepted,
/// so a hostile file cannot make us spend unbounded memory.
/// </summary>
internal static class CosignKeyFile
{
    private static readonly HashSet<long> AcceptedCosts = [32768, 65536, 131072];

    public static byte[] Decrypt(byte[] json, byte[] password)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json, JsonLimits.Document);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new FormatException("the encrypted key is not JSON", ex);
        }
        try
        {
            var kdf = root.GetProperty("kdf");
            var parameters = kdf.GetProperty("params");
            var n = parameters.GetProperty("N").GetInt64();
            var r = parameters.GetProperty("r").GetInt32();
            var p = parameters.GetProperty("p").GetInt32();
            if (kdf.GetProperty("name").GetString() != "scrypt" || !AcceptedCosts.Contains(n) || r != 8 || p != 1)
            {
                throw new FormatException("the key file's scrypt parameters are not ones cosign writes");
            }
            var cipher = root.GetProperty("cipher");
            if (cipher.GetProperty("name").GetString() != "nacl/secretbox")
            {
                throw new FormatException("the key file's cipher is not nacl/secretbox");
            }
            var salt = Convert.FromBase64String(kdf.GetProperty("salt").GetString()!);
            var nonce = Convert.FromBase64String(cipher.GetProperty("nonce").GetString()!);
            var box = Convert.FromBase64String(root.GetProperty("ciphertext").GetString()!);
            var key = SCrypt.Generate(password, salt, (int)n, r, p, 32);
            return SecretBoxOpen(box, nonce, key);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"the encrypted key is malformed: {ex.Message}", ex);
        }
    }

    private static byte[] SecretBoxOpen(byte[] box, byte[] nonce, byte[] key)
    {
        if (nonce.Length != 24 || box.Length < 16)
        {
            throw new FormatException("the encrypted key's nonce or ciphertext has the wrong size");
        }
        var stream = new XSalsa20Engine();
        stream.Init(false, new ParametersWithIV(new KeyParameter(key), nonce));
        var polyKey = new byte[32];
        stream.ProcessBytes(new byte[32], 0, 32, polyKey, 0);
        var ciphertext = box.AsSpan(16).ToArray();
        var mac = new Poly1305();
        mac.Init(new KeyParameter(polyKey));
        mac.BlockUpdate(ciphertext, 0, ciphertext.Length);
        var tag = new byte[16];
        mac.DoFinal(tag, 0);
        if (!CryptographicOperations.FixedTimeEquals(tag, box.AsSpan(0, 16)))
        {
            throw new FormatException("the password is wrong (the key file does not decrypt)");
        }
        var plain = new byte[ciphertext.Length];
        stream.ProcessBytes(ciphertext, 0, ciphertext.Length, plain, 0);
        return plain;
    }
}
