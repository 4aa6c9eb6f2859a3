using System.Reflection;
using UpdateAgent.Adapters;
using UpdateAgent.Trust.Verification;
using Ports = UpdateAgent.Core.Ports;

namespace UpdateAgent.Tests;

/// <summary>A verifier that throws decides nothing: the engine gets "could not decide" for that unit, not an exception that ends its pass.</summary>
public sealed class TrustImageVerifierFailureTests
{
    private static readonly ImageReference Image = ImageReference.Parse("registry.example/app:latest");
    private const string Digest = "sha256:0000000000000000000000000000000000000000000000000000000000000001";

    [Fact]
    public async Task An_exception_from_the_verifier_is_an_undecided_verdict_naming_it()
    {
        var verifier = new TrustImageVerifier(Throwing(new InvalidOperationException("broken verifier")));

        var verdict = await verifier.VerifyAsync(Image, Digest, null, CancellationToken.None);

        Assert.Equal(Ports.VerdictOutcome.Undecided, verdict.Outcome);
        var reason = Assert.Single(verdict.Reasons);
        Assert.Equal(Trust.ReasonCodes.VerifierError, reason.Code);
        Assert.Contains("System.InvalidOperationException: broken verifier", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_the_agent_still_cancels()
    {
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        var verifier = new TrustImageVerifier(Throwing(new OperationCanceledException(stop.Token)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => verifier.VerifyAsync(Image, Digest, null, stop.Token));
    }

    private static ITrustVerifier Throwing(Exception exception)
    {
        var proxy = DispatchProxy.Create<ITrustVerifier, StubProxy>();
        ((StubProxy)(object)proxy).Answer = (_, _) => Task.FromException<Verdict>(exception);
        return proxy;
    }
}
