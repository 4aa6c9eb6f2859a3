using UpdateAgent.Commands;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;

namespace UpdateAgent.Tests;

/// <summary><c>check</c>'s exit code is the worst of what the pass found, so a script's <c>|| alert</c> sees an outage.</summary>
public sealed class CheckExitCodeTests
{
    [Theory]
    [InlineData(new[] { UnitStatus.UpToDate, UnitStatus.Updated, UnitStatus.Refused, UnitStatus.Held }, ExitCodes.Ok)]
    [InlineData(new[] { UnitStatus.UpToDate, UnitStatus.Undecided }, ExitCodes.Unavailable)]
    [InlineData(new[] { UnitStatus.Undecided, UnitStatus.Unverified }, ExitCodes.NotVerified)]
    [InlineData(new[] { UnitStatus.Undecided, UnitStatus.Unmanageable, UnitStatus.RolledBack }, ExitCodes.UnitFailed)]
    [InlineData(new[] { UnitStatus.Failed, UnitStatus.UpToDate }, ExitCodes.UnitFailed)]
    public void The_worst_status_decides(UnitStatus[] statuses, int expected)
    {
        var units = statuses.Select((s, i) => new UnitReport($"u{i}.service", "reg.test/app:latest", "sha256:aa", null, s, "", [], "")).ToList();

        Assert.Equal(expected, CheckCommand.ExitCode(units));
    }
}
