using System.Net;
using UpdateAgent.Podman.Discovery;

namespace UpdateAgent.Podman.Tests;

/// <summary>Discovery inspects units side by side, up to its bound, and an image once however many units run it.</summary>
public sealed class DiscoveryParallelismTests
{
    private const string Digest = "sha256:cace13756a3330a831c541fb6c071fee94587f2c9f1c4e68cb4e387bbc06b7f2";

    [Fact]
    public async Task Units_are_inspected_side_by_side_up_to_the_bound_and_come_back_in_order()
    {
        const int Units = UnitDiscovery.MaxParallelInspections + 3;
        var inFlight = 0;
        var most = 0;
        // Opens once as many inspections as the bound allows are waiting at the same time: one after
        // another, the first would wait alone until the guard's timeout.
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var podman = new FakePodman()
            .On(HttpMethod.Get, "/libpod/containers/json", HttpStatusCode.OK,
                "[" + string.Join(",", Enumerable.Range(0, Units).Select(i => PodmanJson.Listed($"c{i}", $"u{i}.service"))) + "]")
            .On(HttpMethod.Get, "/images/", HttpStatusCode.OK, PodmanJson.Image(PodmanJson.ImageA, $"reg.example/app@{Digest}"));
        for (var i = 0; i < Units; i++)
        {
            var name = $"c{i}";
            podman.On(HttpMethod.Get, $"/containers/{name}-id/json", async (_, token) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                if (now == UnitDiscovery.MaxParallelInspections)
                {
                    full.TrySetResult();
                }
                try
                {
                    await full.Task.WaitAsync(TimeSpan.FromSeconds(30), token);
                    return FakePodman.Respond(HttpStatusCode.OK, PodmanJson.Container(name));
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            });
        }
        using var client = podman.Client();

        var result = await client.DiscoverUnitsAsync(CancellationToken.None);

        Assert.Empty(result.Problems);
        Assert.Equal(UnitDiscovery.MaxParallelInspections, most);
        Assert.Equal(Enumerable.Range(0, Units).Select(i => $"u{i}.service").Order(StringComparer.Ordinal), result.Units.Select(u => u.UnitName));
        Assert.Single(podman.Requests, r => r.Contains("/images/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_image_that_cannot_be_inspected_is_asked_once_and_every_unit_on_it_says_the_same()
    {
        var podman = new FakePodman()
            .On(HttpMethod.Get, "/libpod/containers/json", HttpStatusCode.OK,
                $"[{PodmanJson.Listed("a", "a.service")},{PodmanJson.Listed("b", "b.service")},{PodmanJson.Listed("c", "c.service", PodmanJson.ImageB)}]")
            .On(HttpMethod.Get, "/containers/a-id/json", HttpStatusCode.OK, PodmanJson.Container("a"))
            .On(HttpMethod.Get, "/containers/b-id/json", HttpStatusCode.OK, PodmanJson.Container("b"))
            .On(HttpMethod.Get, "/containers/c-id/json", HttpStatusCode.OK, PodmanJson.Container("c", PodmanJson.ImageB))
            .On(HttpMethod.Get, $"/images/{PodmanJson.ImageA}/json", HttpStatusCode.InternalServerError, """{"message":"image store is locked","response":500}""")
            .On(HttpMethod.Get, $"/images/{PodmanJson.ImageB}/json", HttpStatusCode.OK, PodmanJson.Image(PodmanJson.ImageB, $"reg.example/app@{Digest}"));
        using var client = podman.Client();

        var result = await client.DiscoverUnitsAsync(CancellationToken.None);

        Assert.Equal(["c.service"], result.Units.Select(u => u.UnitName));
        Assert.Equal(["a.service", "b.service"], result.Problems.Select(p => p.UnitName).Order(StringComparer.Ordinal));
        var message = Assert.Single(result.Problems.Select(p => p.Message).Distinct());
        Assert.Contains("left out this pass", message, StringComparison.Ordinal);
        Assert.Single(podman.Requests, r => r.Contains($"/images/{PodmanJson.ImageA}/", StringComparison.Ordinal));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
