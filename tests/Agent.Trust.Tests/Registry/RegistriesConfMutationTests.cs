using System.Text;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Tests.Registry;

/// <summary>
/// registries.conf and auth.json are read at start and on every pass: cut short anywhere, with any
/// byte changed, or with values of the wrong type, they are read or refused with a FormatException
/// naming the file, never anything else.
/// </summary>
public sealed class RegistriesConfMutationTests
{
    private const string Conf = """
        unqualified-search-registries = ["docker.io"]
        [[registry]]
        prefix = "quay.io/team"
        location = "quay.io/team"
        insecure = false
        blocked = false
        mirror-by-digest-only = false
        [[registry.mirror]]
        location = "mirror.example/quay/team"
        insecure = true
        pull-from-mirror = "digest-only"
        [[registry]]
        prefix = "*.corp.example"
        blocked = true
        [aliases]
        "app" = "quay.io/team/app"
        """;

    private const string Auth = """{"auths":{"quay.io":{"auth":"dXNlcjpwYXNz"},"r.example/ns":{"username":"u","password":"p"}},"credHelpers":{"ghcr.io":"vault"}}""";

    [Fact]
    public void Registries_conf_cut_or_changed_anywhere_is_read_or_refused_by_name()
    {
        foreach (var variant in Variants(Conf, ["\"x\"", "5", "true", "[]", "{}", "[[registry]]", "\"\"", "\"*.\"", "\"a b\""]))
        {
            try
            {
                var sources = new RegistrySources(RegistriesConf.Parse(variant, "mutated.conf"));
                // Whatever was read must answer where an image is read from, or refuse it as blocked.
                try
                {
                    _ = sources.Locations(ImageReference.Parse("quay.io/team/app:1"), byDigest: false);
                    _ = sources.Locations(ImageReference.Parse("x.corp.example/app@sha256:" + new string('a', 64)), byDigest: true);
                }
                catch (RegistryException e) when (e.Failure is RegistryFailure.Blocked or RegistryFailure.Malformed)
                {
                }
            }
            catch (FormatException e)
            {
                Assert.Contains("mutated.conf", e.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void An_auth_file_cut_or_changed_anywhere_is_read_or_refused_by_name()
    {
        foreach (var variant in Variants(Auth, ["null", "5", "true", "[]", "{}", "\"\"", "\"../x\""]))
        {
            try
            {
                _ = AuthFile.Parse(Encoding.UTF8.GetBytes(variant), "mutated.json");
            }
            catch (FormatException e)
            {
                Assert.Contains("mutated.json", e.Message, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Every prefix of the text, every quoted or bare value replaced by each of <paramref name="values"/>, and 3000 seeded byte changes.</summary>
    private static IEnumerable<string> Variants(string text, string[] values)
    {
        for (var cut = 0; cut < text.Length; cut++)
        {
            yield return text[..cut];
        }
        foreach (var (start, length) in Tokens(text))
        {
            foreach (var value in values)
            {
                yield return text[..start] + value + text[(start + length)..];
            }
        }
        var random = new Random(20261203);
        var pool = "\"'[]{}=,.:\\\n\t #*/@a0-".ToCharArray();
        for (var i = 0; i < 3000; i++)
        {
            var chars = text.ToCharArray();
            for (var changes = random.Next(1, 4); changes > 0; changes--)
            {
                chars[random.Next(chars.Length)] = random.Next(4) == 0 ? (char)random.Next(0, 0x2FF) : pool[random.Next(pool.Length)];
            }
            yield return new string(chars);
        }
    }

    // Quoted strings and bare words after '=' or ':' (true, false, numbers).
    private static IEnumerable<(int Start, int Length)> Tokens(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                if (end < 0)
                {
                    yield break;
                }
                yield return (i, end - i + 1);
                i = end;
            }
            else if (char.IsLetterOrDigit(text[i]) && i > 1 && (text[i - 2] == '=' || text[i - 1] == ':'))
            {
                var end = i;
                while (end < text.Length && char.IsLetterOrDigit(text[end]))
                {
                    end++;
                }
                yield return (i, end - i);
                i = end;
            }
        }
    }
}
