using System.Net;

namespace UpdateAgent.Podman.Tests;

public sealed class PodmanClientTests
{
    private const string Digest = "sha256:cace13756a3330a831c541fb6c071fee94587f2c9f1c4e68cb4e387bbc06b7f2";

    [Fact]
    public async Task Discovery_builds_units_from_list_inspect_and_image_digests()
    {
        var podman = new FakePodman()
            .On(HttpMethod.Get, "/libpod/containers/json", HttpStatusCode.OK,
                $"[{PodmanJson.Listed("web", "web.service")},{PodmanJson.Listed("db-b", "db.service")},{PodmanJson.Listed("db-a", "db.service")}]")
            .On(HttpMethod.Get, "/containers/web-id/json", HttpStatusCode.OK, PodmanJson.Container("web"))
            .On(HttpMethod.Get, "/containers/db-a-id/json", HttpStatusCode.OK, PodmanJson.Container("db-a"))
            .On(HttpMethod.Get, "/containers/db-b-id/json", HttpStatusCode.OK, PodmanJson.Container("db-b"))
            .On(HttpMethod.Get, $"/images/{PodmanJson.ImageA}/json", HttpStatusCode.OK, PodmanJson.Image(PodmanJson.ImageA, $"reg.example/app@{Digest}"));
        using var client = podman.Client();

        var result = await client.DiscoverUnitsAsync(CancellationToken.None);

        Assert.Empty(result.Problems);
        Assert.Equal(["db.service", "web.service"], result.Units.Select(u => u.UnitName));
        var db = result.Units[0];
        Assert.Equal(AutoUpdatePolicy.Registry, db.Policy);
        Assert.Equal("reg.example/app:latest", db.ImageReference);
        Assert.Equal(PodmanJson.ImageA, db.ImageId);
        Assert.Contains($"reg.example/app@{Digest}", db.RepoDigests);
        Assert.Equal(["db-a", "db-b"], db.Containers.Select(c => c.Name));
        Assert.Equal("cmd", db.Containers[0].AutoUpdateLabels["io.containers.autoupdate.health"]);
        // One image inspect for the image both units run.
        Assert.Single(podman.Requests, r => r.Contains("/images/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_unit_whose_containers_run_different_images_or_vanish_is_a_problem_and_the_rest_is_found()
    {
        var podman = new FakePodman()
            .On(HttpMethod.Get, "/libpod/containers/json", HttpStatusCode.OK,
                $"[{PodmanJson.Listed("a1", "mixed.service")},{PodmanJson.Listed("a2", "mixed.service", PodmanJson.ImageB)},{PodmanJson.Listed("gone", "gone.service")},{PodmanJson.Listed("ok", "ok.service")}]")
            .On(HttpMethod.Get, "/containers/a1-id/json", HttpStatusCode.OK, PodmanJson.Container("a1"))
            .On(HttpMethod.Get, "/containers/a2-id/json", HttpStatusCode.OK, PodmanJson.Container("a2", PodmanJson.ImageB))
            .On(HttpMethod.Get, "/containers/ok-id/json", HttpStatusCode.OK, PodmanJson.Container("ok"))
            .On(HttpMethod.Get, "/images/", HttpStatusCode.OK, PodmanJson.Image(PodmanJson.ImageA, $"reg.example/app@{Digest}"));
        using var client = podman.Client();

        var result = await client.DiscoverUnitsAsync(CancellationToken.None);

        Assert.Equal(["ok.service"], result.Units.Select(u => u.UnitName));
        Assert.Contains("differ in their images", Assert.Single(result.Problems, p => p.UnitName == "mixed.service").Message, StringComparison.Ordinal);
        Assert.Contains("gone", Assert.Single(result.Problems, p => p.UnitName == "gone.service").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unit_whose_containers_run_different_image_references_is_one_part_per_image()
    {
        var podman = new FakePodman()
            .On(HttpMethod.Get, "/libpod/containers/json", HttpStatusCode.OK,
                $"[{PodmanJson.Listed("app", "shop-pod.service")},{PodmanJson.Listed("side", "shop-pod.service", PodmanJson.ImageB)}]")
            .On(HttpMethod.Get, "/containers/app-id/json", HttpStatusCode.OK, PodmanJson.Container("app"))
            .On(HttpMethod.Get, "/containers/side-id/json", HttpStatusCode.OK, PodmanJson.Container("side", PodmanJson.ImageB, "reg.example/side:latest"))
            .On(HttpMethod.Get, $"/images/{PodmanJson.ImageA}/json", HttpStatusCode.OK, PodmanJson.Image(PodmanJson.ImageA, "reg.example/app@sha256:" + new string('a', 64)))
            .On(HttpMethod.Get, $"/images/{PodmanJson.ImageB}/json", HttpStatusCode.OK, PodmanJson.Image(PodmanJson.ImageB, "reg.example/side@sha256:" + new string('b', 64)));
        using var client = podman.Client();

        var result = await client.DiscoverUnitsAsync(CancellationToken.None);

        Assert.Empty(result.Problems);
        Assert.Equal(["reg.example/app:latest", "reg.example/side:latest"], result.Units.Select(u => u.ImageReference));
        Assert.All(result.Units, u => Assert.Equal("shop-pod.service", u.UnitName));
        Assert.Equal(["app"], result.Units[0].Containers.Select(c => c.Name));
        Assert.Equal(["side"], result.Units[1].Containers.Select(c => c.Name));
        Assert.Contains("reg.example/side@sha256:" + new string('b', 64), result.Units[1].RepoDigests);
    }

    [Fact]
    public async Task Pull_by_digest_reads_the_libpod_stream_and_fails_on_an_error_after_200()
    {
        const string Reference = $"reg.example/app@{Digest}";
        var podman = new FakePodman().On(HttpMethod.Post, "/libpod/images/pull?reference=" + Reference, HttpStatusCode.OK,
            "{\"stream\":\"Trying to pull\\n\"}\n{\"error\":\"denied: access to the resource is denied\"}\n");
        using var client = podman.Client();

        var failure = await Assert.ThrowsAsync<PodmanException>(() => client.PullByDigestAsync(Reference, CancellationToken.None));

        Assert.Contains("denied", failure.Message, StringComparison.Ordinal);
        Assert.Equal(Reference, failure.Subject);
        Assert.Contains("policy=missing", Assert.Single(podman.Requests), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reg.example/app:latest")]
    [InlineData("reg.example/app@sha256:short")]
    [InlineData("reg.example/app@sha512:cace13756a3330a831c541fb6c071fee94587f2c9f1c4e68cb4e387bbc06b7f2")]
    [InlineData("reg.example/app@sha256:cace13756a3330a831c541fb6c071fee94587f2c9f1c4e68cb4e387bbc06b7f2 ")]
    public async Task Pull_refuses_anything_but_a_reference_by_sha256_digest(string reference)
    {
        var podman = new FakePodman();
        using var client = podman.Client();

        await Assert.ThrowsAsync<ArgumentException>(() => client.PullByDigestAsync(reference, CancellationToken.None));
        Assert.Empty(podman.Requests);
    }

    [Fact]
    public async Task Tag_untag_and_reading_a_tag_use_repo_and_tag_and_the_tags_own_repository_digests()
    {
        var podman = new FakePodman()
            .On(HttpMethod.Post, $"/v1.41/images/{PodmanJson.ImageA}/tag?repo=reg.example/app&tag=rollback", HttpStatusCode.Created, "")
            .On(HttpMethod.Post, $"/libpod/images/{PodmanJson.ImageA}/untag?repo=reg.example/app&tag=rollback", HttpStatusCode.Created, "")
            .On(HttpMethod.Get, "/images/reg.example/app:rollback/json", HttpStatusCode.OK, PodmanJson.Image(PodmanJson.ImageA, $"reg.example/app@{Digest}"));
        using var client = podman.Client();

        await client.TagImageAsync(PodmanJson.ImageA, "reg.example/app:rollback", CancellationToken.None);
        await client.UntagImageAsync(PodmanJson.ImageA, "reg.example/app:rollback", CancellationToken.None);
        var tag = await client.ReadLocalTagAsync("reg.example/app:rollback", CancellationToken.None);

        Assert.NotNull(tag);
        Assert.Equal(PodmanJson.ImageA, tag.ImageId);
        Assert.Equal([Digest], tag.Digests);
        await Assert.ThrowsAsync<ArgumentException>(() => client.TagImageAsync(PodmanJson.ImageA, "reg.example/app", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => client.TagImageAsync(PodmanJson.ImageA, "reg.example/app:bad tag", CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_tag_reads_as_null_and_a_missing_image_as_not_found_naming_it()
    {
        var podman = new FakePodman().On(HttpMethod.Get, "/libpod/images/", HttpStatusCode.NotFound, "");
        using var client = podman.Client();

        Assert.Null(await client.ReadLocalTagAsync("reg.example/app:nope", CancellationToken.None));
        Assert.False(await client.ImageExistsAsync("reg.example/app:nope", CancellationToken.None));
        var failure = await Assert.ThrowsAsync<PodmanNotFoundException>(() => client.InspectImageAsync("reg.example/app:nope", CancellationToken.None));
        Assert.Contains("reg.example/app:nope", failure.Message, StringComparison.Ordinal);
        Assert.Contains("fake podman has no route", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Container_state_reads_health_streak_restarts_and_start_time()
    {
        var podman = new FakePodman().On(HttpMethod.Get, "/containers/web/json", HttpStatusCode.OK, PodmanJson.Container("web", health: "unhealthy"));
        using var client = podman.Client();

        var state = await client.InspectContainerAsync("web", CancellationToken.None);

        Assert.Equal("web", state.Name);
        Assert.True(state.Running);
        Assert.Equal(HealthStatus.Unhealthy, state.Health);
        Assert.Equal(3, state.FailingStreak);
        Assert.Equal(2, state.RestartCount);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 18, 38, 34, TimeSpan.Zero), state.StartedAt!.Value.AddTicks(-(state.StartedAt.Value.Ticks % TimeSpan.TicksPerSecond)));
    }

    [Theory]
    [InlineData("{\"cause\":\"x\",\"message\":\"container abc has no defined healthcheck\",\"response\":409}", HealthCheckOutcome.NotDefined)]
    [InlineData("{\"cause\":\"x\",\"message\":\"container abc is not running\",\"response\":409}", HealthCheckOutcome.NotRunning)]
    public async Task A_409_from_the_health_check_is_a_result_not_an_error(string body, HealthCheckOutcome expected)
    {
        var podman = new FakePodman().On(HttpMethod.Get, "/libpod/containers/web/healthcheck", HttpStatusCode.Conflict, body);
        using var client = podman.Client();

        var run = await client.RunHealthCheckAsync("web", CancellationToken.None);

        Assert.Equal(expected, run.Outcome);
        Assert.Equal(HealthStatus.None, run.Status);
        Assert.NotNull(run.Detail);
    }

    [Fact]
    public async Task A_health_check_that_ran_gives_podmans_verdict()
    {
        var podman = new FakePodman().On(HttpMethod.Get, "/libpod/containers/web/healthcheck", HttpStatusCode.OK, "{\"Status\":\"starting\",\"FailingStreak\":0,\"Log\":null}");
        using var client = podman.Client();

        var run = await client.RunHealthCheckAsync("web", CancellationToken.None);

        Assert.Equal(HealthCheckOutcome.Ran, run.Outcome);
        Assert.Equal(HealthStatus.Starting, run.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("web?x=1")]
    [InlineData("../etc")]
    [InlineData("web name")]
    public async Task Names_that_could_change_the_url_are_refused_before_any_call(string name)
    {
        var podman = new FakePodman();
        using var client = podman.Client();

        await Assert.ThrowsAsync<ArgumentException>(() => client.InspectContainerAsync(name, CancellationToken.None));
        Assert.Empty(podman.Requests);
    }
}
