using System.Text.Json;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>What every fault leaves of the history (<c>update-agent history --json</c>): no record in progress, no step half-recorded.</summary>
internal static class HistoryAssert
{
    /// <summary>Every record of <paramref name="history"/> is finished and every step with an intent has its outcome.</summary>
    public static void Complete(JsonElement history)
    {
        foreach (var row in history.EnumerateArray())
        {
            Record(row);
        }
    }

    /// <summary>
    /// <paramref name="row"/> is finished and every step with an intent has its outcome. When the
    /// process was killed (<paramref name="killed"/>), the last step may have only its intent: the
    /// next start closed the record without running that step again.
    /// </summary>
    public static void Record(JsonElement row, bool killed = false)
    {
        var status = row.GetProperty("status").GetString();
        Assert.NotEqual("in progress", status);
        var steps = row.GetProperty("steps").EnumerateArray().Select(s => (Step: s.GetProperty("step").GetString(), Phase: s.GetProperty("phase").GetString())).ToList();
        var intents = steps.Where(s => s.Phase == "intent").Select(s => s.Step).ToList();
        var outcomes = steps.Where(s => s.Phase == "outcome").Select(s => s.Step).ToHashSet();
        foreach (var step in intents.Distinct())
        {
            Assert.True(outcomes.Contains(step) || killed && step == intents[^1],
                $"record {row.GetProperty("id")}: step {step} has an intent but no outcome: {string.Join(", ", steps)}");
        }
    }
}
