using System.Globalization;
using System.Text.RegularExpressions;
using UpdateAgent.Testing;

namespace UpdateAgent.Tests;

/// <summary>The shipped unit stays as hardened as the job allows, by systemd's own measure.</summary>
public sealed partial class UnitFileTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_service_unit_exposure_stays_at_or_below_3()
    {
        var unit = Path.Combine(ProcessRunner.RepositoryRoot, "units", "update-agent.service");
        var result = (await ProcessRunner.RunAsync("systemd-analyze", ["security", "--offline=true", "--no-pager", unit])).EnsureSuccess("systemd-analyze security");
        var match = Exposure().Match(result.StandardOutput);
        Assert.True(match.Success, result.StandardOutput);
        output.WriteLine(match.Value);
        Assert.InRange(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), 0, 3.0);
    }

    [GeneratedRegex(@"Overall exposure level for update-agent\.service: (\d+\.\d)")]
    private static partial Regex Exposure();
}
