using UpdateAgent.SystemTests.Engine;
using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Faults;

/// <summary>
/// The history store (the ledger of what was verified) is damaged between two passes. A store that
/// cannot say what was verified must stop every change: the pass names the file and what to do,
/// moves nothing and leaves the damaged file as it is (it is evidence). Once it is moved aside, as
/// the message says, the next pass starts a new store, verifies what runs again and goes on.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class HistoryCorruptionTests(TestbedFixture testbed, ITestOutputHelper output)
{
    [Fact]
    [OnlyOnGuest(Guests.Debian13, "the history store is the agent's, on the host, whatever the guest")]
    public async Task A_history_store_damaged_between_passes_stops_every_change_names_the_file_and_keeps_it()
    {
        using var work = new EngineWorkspace(testbed, "fcorrupt");
        await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync(soak: "1s");
        await work.StartUnitAsync();
        try
        {
            var v2 = await work.ReleaseAsync("1.1.0");
            var (exit, unit) = await work.CheckUnitAsync(output);
            await work.AssertUpdatedToAsync(exit, unit, v2);
            var v3 = await work.ReleaseAsync("1.2.0");

            var store = Path.Combine(work.StateDirectory, "history.db");
            Damage(store);
            var damaged = await File.ReadAllBytesAsync(store);

            var (badExit, _, error) = await work.CheckAsync();
            output.WriteLine($"damaged store: exit {badExit}\n{error}");

            Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
            Assert.Equal(3, badExit);
            Assert.Contains(store, error, StringComparison.Ordinal);
            Assert.Contains("move it aside", error, StringComparison.Ordinal);
            Assert.Equal(v2, await work.RunningDigestAsync());
            Assert.Equal("active", await work.UnitStateAsync());
            Assert.Equal(damaged, await File.ReadAllBytesAsync(store));

            // What the message says to do: the damaged store is kept aside, a new one starts.
            foreach (var file in Directory.GetFiles(work.StateDirectory, "history.db*"))
            {
                File.Move(file, file.Replace("history.db", "history.db.damaged", StringComparison.Ordinal));
            }
            (exit, unit) = await work.CheckUnitAsync(output);

            await work.AssertUpdatedToAsync(exit, unit, v3);
            HistoryAssert.Complete(await work.HistoryAsync());
            await FaultMatrixTests.RecordRowAsync("history store damaged", "between passes", testbed.Guest,
                $"refused to start (exit {badExit}), runs the last verified, store kept", "moved aside: updated, runs new");
        }
        finally
        {
            await work.StopUnitAsync();
        }
    }

    /// <summary>Overwrites every page but the first (which names the tables) with bytes no page holds.</summary>
    internal static void Damage(string store)
    {
        const int pageSize = 4096;
        using var file = new FileStream(store, FileMode.Open, FileAccess.ReadWrite);
        Assert.True(file.Length > pageSize, $"the store has only {file.Length} bytes");
        file.Position = pageSize;
        var junk = new byte[file.Length - pageSize];
        Array.Fill(junk, (byte)0xA5);
        file.Write(junk);
    }
}
