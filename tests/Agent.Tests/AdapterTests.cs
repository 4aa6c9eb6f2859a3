using System.Reflection;
using UpdateAgent.Adapters;
using UpdateAgent.Core.Ports;
using UpdateAgent.Podman;
using UpdateAgent.Trust.Verification;
using Ports = UpdateAgent.Core.Ports;
using Trust = UpdateAgent.Trust;

namespace UpdateAgent.Tests;

/// <summary>The adapters hand Core its own records and its ports' own exceptions, with the library's message.</summary>
public sealed class AdapterTests
{
    [Fact]
    public async Task Podman_failures_become_the_container_host_exception()
    {
        var podman = Stub<IPodmanClient>((_, _) => throw new PodmanNotFoundException("app", "no such image app"));
        var host = new PodmanContainerHost(podman);
        var e = await Assert.ThrowsAsync<ContainerHostException>(() => host.InspectImageAsync("app", CancellationToken.None));
        Assert.Equal("no such image app", e.Message);
        Assert.IsType<PodmanNotFoundException>(e.InnerException);
    }

    [Fact]
    public async Task Discovered_units_keep_what_the_engine_reads()
    {
        var unit = new Podman.ManagedUnit("app.service", Podman.AutoUpdatePolicy.Local, "registry.example/app:latest", "img-1", ["registry.example/app@sha256:1"],
            [new Podman.ManagedContainer("c1", "app", Podman.AutoUpdatePolicy.Local, "registry.example/app:latest", "img-1", null, new Dictionary<string, string> { ["io.containers.autoupdate.soak"] = "5s" })]);
        var found = new Podman.DiscoveryResult([unit], [new Podman.DiscoveryProblem("c2", null, "no unit label")]);
        var host = new PodmanContainerHost(Stub<IPodmanClient>((_, _) => Task.FromResult(found)));
        var mapped = await host.DiscoverUnitsAsync(CancellationToken.None);
        var only = Assert.Single(mapped.Units);
        Assert.Equal(("app.service", Ports.AutoUpdatePolicy.Local, "registry.example/app:latest", "img-1"), (only.UnitName, only.Policy, only.ImageReference, only.ImageId));
        Assert.Equal(["registry.example/app@sha256:1"], only.RepoDigests);
        Assert.Equal("5s", Assert.Single(only.Containers).AutoUpdateLabels["io.containers.autoupdate.soak"]);
        Assert.Equal(new Ports.DiscoveryProblem("c2", null, "no unit label"), Assert.Single(mapped.Problems));
    }

    [Fact]
    public async Task A_verdict_keeps_its_outcome_reasons_signers_and_platform()
    {
        var verdict = new Trust.Verification.Verdict
        {
            Image = "registry.example/app:latest", Outcome = Trust.Verification.VerdictOutcome.Undecided,
            Reasons = [new Trust.Verification.VerdictReason(Trust.ReasonCodes.RegistryError, "registry answered 500")],
            Signers = [new Trust.Verification.SignerInfo("release-gate", "key", null, "sig-tag", null)],
            Facts = new Trust.Verification.CandidateFacts("sha256:index", "sha256:amd64", null, null, null, null),
        };
        Trust.Verification.RunningImageFacts? seen = null;
        var verifier = new TrustImageVerifier(Stub<ITrustVerifier>((_, args) =>
        {
            seen = (Trust.Verification.RunningImageFacts?)args[2];
            return Task.FromResult(verdict);
        }));
        var image = ImageReference.Parse("registry.example/app:latest");
        var mapped = await verifier.VerifyAsync(image, "sha256:index", new Ports.RunningImageFacts("sha256:old", null, "1.0", ["sha256:older"]), CancellationToken.None);
        Assert.Equal(Ports.VerdictOutcome.Undecided, mapped.Outcome);
        Assert.Equal("registry-error: registry answered 500", Assert.Single(mapped.Reasons).ToString());
        Assert.Equal("release-gate", Assert.Single(mapped.Signers).Authority);
        Assert.Equal("sha256:amd64", mapped.Facts?.PlatformDigest);
        Assert.Equal(("sha256:old", "1.0", "sha256:older"), (seen?.Digest, seen?.Version, seen?.ReplacedDigests.Single()));
    }

    [Fact]
    public async Task The_authfile_label_feeds_the_registry_reads_and_every_pull_even_a_first_one_carries_the_same_credentials_and_tls_setting()
    {
        var folder = Directory.CreateTempSubdirectory("adapter-auth-").FullName;
        try
        {
            var labelled = Path.Combine(folder, "only-this-unit.json");
            File.WriteAllText(labelled, "{\"auths\":{\"reg.test:5000\":{\"auth\":\"" + Convert.ToBase64String("gate:s3cret"u8.ToArray()) + "\"}}}");
            var options = new Trust.Registry.RegistryClientOptions { Credentials = new Trust.Registry.PerRepositoryCredentials(Trust.Registry.AuthFile.Empty) };
            options.InsecureRegistries.Add("reg.test:5000");
            var labels = new Dictionary<string, string> { [ContainerRegistryAccess.AuthFileLabel] = labelled };
            var unit = new Podman.ManagedUnit("app.service", Podman.AutoUpdatePolicy.Registry, "reg.test:5000/team/app:latest", "img-1", [],
                [new Podman.ManagedContainer("c1", "app", Podman.AutoUpdatePolicy.Registry, "reg.test:5000/team/app:latest", "img-1", null, labels)]);
            PullAccess? sent = null;
            var podman = Stub<IPodmanClient>((method, args) => method.Name switch
            {
                nameof(IPodmanClient.DiscoverUnitsAsync) => Task.FromResult(new Podman.DiscoveryResult([unit], [])),
                nameof(IPodmanClient.PullByDigestAsync) => Task.FromResult(new Podman.PulledImage((string)args[0]!, "img-2")).ContinueWith(t =>
                {
                    sent = args.Length == 3 ? args[1] as PullAccess : null;
                    return t.Result;
                }, TaskScheduler.Default),
                _ => throw new InvalidOperationException(method.Name),
            });
            var host = new PodmanContainerHost(podman, new ContainerRegistryAccess(options));

            await host.DiscoverUnitsAsync(CancellationToken.None);
            Assert.Equal("gate", options.Credentials.Find("reg.test:5000", "team/app")?.Username);
            Assert.Null(options.Credentials.Find("reg.test:5000", "team/unlabelled"));
            await host.PullByDigestAsync("reg.test:5000/team/app@sha256:" + new string('1', 64), CancellationToken.None);

            var login = Assert.Single(sent!.Logins);
            Assert.Equal(("reg.test:5000/team/app", "gate", "s3cret", false), (login.Key, login.Value.Username, login.Value.Password, sent.TlsVerify));

            // A fresh process whose first act is a pull (recovery, an operator's rollback) reads the labels first.
            var freshOptions = new Trust.Registry.RegistryClientOptions { Credentials = new Trust.Registry.PerRepositoryCredentials(Trust.Registry.AuthFile.Empty) };
            sent = null;
            await new PodmanContainerHost(podman, new ContainerRegistryAccess(freshOptions)).PullByDigestAsync("reg.test:5000/team/app@sha256:" + new string('2', 64), CancellationToken.None);
            Assert.Equal("gate", Assert.Single(sent!.Logins).Value.Username);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>An implementation of <typeparamref name="T"/> whose every call answers <paramref name="answer"/>.</summary>
    private static T Stub<T>(Func<MethodInfo, object?[], object?> answer) where T : class
    {
        var proxy = DispatchProxy.Create<T, StubProxy>();
        ((StubProxy)(object)proxy).Answer = answer;
        return proxy;
    }
}

/// <summary>Answers every call with the test's function (or its exception).</summary>
public class StubProxy : DispatchProxy
{
    internal Func<MethodInfo, object?[], object?> Answer { get; set; } = (_, _) => null;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Answer(targetMethod!, args ?? []);
}
