using System.Text.Json;
using UpdateAgent.Commands;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;

namespace UpdateAgent.Tests;

/// <summary><c>check --format podman</c>: podman auto-update's JSON shape and words, one row per container.</summary>
public sealed class PodmanFormatTests
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData(UnitStatus.UpToDate, "false")]
    [InlineData(UnitStatus.Held, "false")]
    [InlineData(UnitStatus.Updated, "true")]
    [InlineData(UnitStatus.Restored, "true")]
    [InlineData(UnitStatus.Pending, "pending")]
    [InlineData(UnitStatus.RolledBack, "rolled back")]
    [InlineData(UnitStatus.Abandoned, "rolled back")]
    [InlineData(UnitStatus.Failed, "failed")]
    [InlineData(UnitStatus.Refused, "failed")]
    [InlineData(UnitStatus.Quarantined, "failed")]
    [InlineData(UnitStatus.Undecided, "failed")]
    [InlineData(UnitStatus.Unverified, "failed")]
    [InlineData(UnitStatus.Unmanageable, "failed")]
    [InlineData(UnitStatus.NotRunning, "failed")]
    public void Each_status_maps_to_the_podman_word_that_is_true_of_it(UnitStatus status, string word) =>
        Assert.Equal(word, PodmanFormat.Updated(status));

    [Fact]
    public void Only_podman_words_are_used()
    {
        string[] podmanWords = ["true", "false", "pending", "failed", "rolled back"];
        Assert.All(Enum.GetValues<UnitStatus>(), s => Assert.Contains(PodmanFormat.Updated(s), podmanWords));
    }

    [Fact]
    public void Json_has_podmans_keys_in_its_order_one_object_per_container()
    {
        var report = new UnitReport("pod-app.service", "registry.example/app:latest", "sha256:a", "sha256:b", UnitStatus.Refused, "no-policy", ["no-policy"], "")
        {
            Policy = "registry",
            Containers = [new ReportedContainer(Id, "app"), new ReportedContainer("fedcba9876543210", "sidecar")],
        };
        var json = PodmanFormat.WriteJson([report]);
        Assert.StartsWith("[\n    {\n        \"Unit\": \"pod-app.service\",", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var rows = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["Unit", "Container", "ContainerName", "ContainerID", "Image", "Policy", "Updated", "Status", "Detail"], rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("0123456789ab (app)", rows[0].GetProperty("Container").GetString());
        Assert.Equal(Id, rows[0].GetProperty("ContainerID").GetString());
        Assert.Equal("registry.example/app:latest", rows[0].GetProperty("Image").GetString());
        Assert.Equal("registry", rows[0].GetProperty("Policy").GetString());
        Assert.Equal("failed", rows[0].GetProperty("Updated").GetString());
        Assert.Equal("refused", rows[0].GetProperty("Status").GetString());
        Assert.Equal("fedcba987654 (sidecar)", rows[1].GetProperty("Container").GetString());
    }

    [Fact]
    public void A_unit_without_known_containers_still_gets_a_row_and_the_table_has_podmans_columns()
    {
        var report = new UnitReport("gone.service", "r/app:latest", "", null, UnitStatus.NotRunning, "the unit is not running", [], "");
        var rows = PodmanFormat.Rows([report]);
        Assert.Equal("", Assert.Single(rows).Container);
        var table = PodmanFormat.WriteTable([report]);
        Assert.StartsWith("UNIT", table, StringComparison.Ordinal);
        Assert.Equal(["UNIT", "CONTAINER", "IMAGE", "POLICY", "UPDATED"], table.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("[]\n", PodmanFormat.WriteJson([]));
    }
}
