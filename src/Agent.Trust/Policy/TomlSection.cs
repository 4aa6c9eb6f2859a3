using Tomlyn.Model;

namespace UpdateAgent.Trust.Policy;

/// <summary>
/// Typed, path-aware reads from one TOML table. Every key read is remembered so that unknown
/// keys (usually typos that would silently weaken a policy) are reported as errors.
/// </summary>
internal sealed class TomlSection(TomlTable table, string path, string file, List<PolicyError> errors)
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public string Path => path;

    public bool Has(string key) => table.ContainsKey(key);

    public string? String(string key, bool required = false)
    {
        _known.Add(key);
        if (!table.TryGetValue(key, out var value))
        {
            if (required)
            {
                Error(key, "is required");
            }
            return null;
        }
        if (value is string text && text.Length > 0)
        {
            return text;
        }
        Error(key, "must be a non-empty string");
        return null;
    }

    public bool? Bool(string key)
    {
        _known.Add(key);
        if (!table.TryGetValue(key, out var value))
        {
            return null;
        }
        if (value is bool flag)
        {
            return flag;
        }
        Error(key, "must be true or false");
        return null;
    }

    public long? Integer(string key, long min, long max)
    {
        _known.Add(key);
        if (!table.TryGetValue(key, out var value))
        {
            return null;
        }
        if (value is long number && number >= min && number <= max)
        {
            return number;
        }
        Error(key, $"must be an integer from {min} to {max}");
        return null;
    }

    public List<string> Strings(string key)
    {
        _known.Add(key);
        var list = new List<string>();
        if (!table.TryGetValue(key, out var value))
        {
            return list;
        }
        if (value is string single && single.Length > 0)
        {
            list.Add(single);
            return list;
        }
        if (value is TomlArray array && array.All(v => v is string s && s.Length > 0))
        {
            list.AddRange(array.Cast<string>());
            return list;
        }
        Error(key, "must be a string or an array of non-empty strings");
        return list;
    }

    public Dictionary<string, string> StringMap(string key)
    {
        _known.Add(key);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!table.TryGetValue(key, out var value))
        {
            return map;
        }
        if (value is not TomlTable inner)
        {
            Error(key, "must be a table of strings, e.g. { stage = \"prod\" }");
            return map;
        }
        foreach (var (k, v) in inner)
        {
            if (v is string s)
            {
                map[k] = s;
            }
            else
            {
                Error($"{key}.{k}", "must be a string");
            }
        }
        return map;
    }

    public TomlSection? Table(string key)
    {
        _known.Add(key);
        if (!table.TryGetValue(key, out var value))
        {
            return null;
        }
        if (value is TomlTable inner)
        {
            return new TomlSection(inner, Join(key), file, errors);
        }
        Error(key, "must be a table");
        return null;
    }

    public List<TomlSection> TableArray(string key)
    {
        _known.Add(key);
        var list = new List<TomlSection>();
        if (!table.TryGetValue(key, out var value))
        {
            return list;
        }
        if (value is TomlTableArray array)
        {
            var i = 0;
            foreach (var item in array)
            {
                list.Add(new TomlSection(item, $"{Join(key)}[{i++}]", file, errors));
            }
            return list;
        }
        Error(key, $"must be an array of tables ([[{key}]])");
        return list;
    }

    public IEnumerable<(string Key, TomlSection Section)> SubTables()
    {
        foreach (var (key, value) in table)
        {
            _known.Add(key);
            if (value is TomlTable inner)
            {
                yield return (key, new TomlSection(inner, Join(key), file, errors));
            }
            else
            {
                Error(key, "must be a table");
            }
        }
    }

    /// <summary>Reports every key that was never read.</summary>
    public void RejectUnknown()
    {
        foreach (var key in table.Keys)
        {
            if (!_known.Contains(key))
            {
                Error(key, "is not a known setting");
            }
        }
    }

    public void Error(string key, string message) => errors.Add(new PolicyError(file, Join(key), message));

    private string Join(string key) => path.Length == 0 ? key : $"{path}.{key}";
}
