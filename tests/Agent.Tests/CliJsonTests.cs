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

    [Fact]
    public void A_reports_policy_and_containers_cross_the_daemons_api_and_older_reports_still_read()
    {
        var report = new UnitReport("app.service", "r/app:latest", "sha256:a", null, UnitStatus.UpToDate, "", [], "")
        {
            Policy = "registry",
            Containers = [new ReportedContainer("0123456789abcdef", "app")],
        };
        var json = CliJson.Write(new CheckDocument([report], 1, 0.5, 1, "1 up to date"), CliJsonContext.Default.CheckDocument);
        Assert.Contains("\"policy\": \"registry\"", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize(json, CliJsonContext.Default.CheckDocument)!.Units.Single();
        Assert.Equal("registry", back.Policy);
        Assert.Equal(new ReportedContainer("0123456789abcdef", "app"), back.Containers.Single());

        var older = JsonSerializer.Deserialize("""{"units":[{"unit":"app.service","image":"r/app:latest","running_digest":"sha256:a","status":"up to date","detail":"","reason_codes":[],"signers":""}]}""",
            CliJsonContext.Default.CheckDocument)!.Units.Single();
        Assert.Equal("", older.Policy);
        Assert.Empty(older.Containers);
    }
}
