using System.Text.Json;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;
using UpdateAgent.Json;

namespace UpdateAgent.Tests;

/// <summary>The JSON scripts read keeps its words: a status is "up to date", never a number or an enum name.</summary>
public sealed class CliJsonTests
{
    [Fact]
    public void Statuses_are_written_and_read_as_their_words()
    {
        var report = new UnitReport("app.service", "r/app:latest", "sha256:a", "sha256:b", UnitStatus.UpToDate, "runs it", [], "ci");
        var json = CliJson.Write(new CheckDocument([report, report with { Status = UnitStatus.RolledBack }], 1, 0.5, 1, "1 up to date"), CliJsonContext.Default.CheckDocument);
        Assert.Contains("\"status\": \"up to date\"", json, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"rolled back\"", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize(json, CliJsonContext.Default.CheckDocument)!;
        Assert.Equal([UnitStatus.UpToDate, UnitStatus.RolledBack], back.Units.Select(u => u.Status));

        var checks = CliJson.Write(new List<UnitCheck> { new("app.service", "r/app:latest", "sha256:a", null, UnitStatus.NotRunning, "", DateTimeOffset.UnixEpoch) }, CliJsonContext.Default.ListUnitCheck);
        Assert.Contains("\"status\": \"not running\"", checks, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"units":[{"status":3}]}""", CliJsonContext.Default.CheckDocument));
    }
}
