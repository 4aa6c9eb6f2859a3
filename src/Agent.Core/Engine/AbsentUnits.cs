using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Engine;

/// <summary>
/// Units the agent checked before whose containers are gone from this pass — most often because
/// the redeploy guard refused to start them on an image that was not verified (a hand pull, a
/// timer) and their <c>--rm</c> container went with the failed start. Their last status must not
/// stand as "up to date": a failed unit whose tag no longer names its verified image is judged
/// on what its tag would start, and restored; any other is reported <c>not running</c>.
/// </summary>
internal sealed class AbsentUnits(IContainerHost podman, IUnitControl units, UpdateMachine machine, HistoryStore history, EngineOptions options)
{
    /// <summary>Judges every known unit not in <paramref name="discovered"/> (only the requested ones, if a request names units).</summary>
    public async Task<List<UpdateState>> JudgeAsync(IReadOnlySet<string> discovered, PassRequest request, CancellationToken cancellationToken)
    {
        var states = new List<UpdateState>();
        foreach (var check in history.UnitChecks())
        {
            if (discovered.Contains(check.Unit) || (request.Units is { Count: > 0 } only && !only.Contains(check.Unit, StringComparer.Ordinal) && !only.Contains(UnitKey.ServiceOf(check.Unit), StringComparer.Ordinal))
                || history.CurrentVerified(check.Unit) is not { } current || !ImageReference.TryParse(current.Image, out var image, out _))
            {
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var plan = new UnitPlan(check.Unit, AutoUpdatePolicy.Registry, current.Image, image, [], "", [], null, "the unit is not running",
                options.HealthFor(UnitKey.ServiceOf(check.Unit)), request.DryRun)
            {
                OnUnverified = options.OnUnverifiedFor(UnitKey.ServiceOf(check.Unit)),
            };
            try
            {
                var state = await units.GetStateAsync(UnitKey.ServiceOf(check.Unit), cancellationToken).ConfigureAwait(false);
                if (state.LoadState == "not-found")
                {
                    continue; // the unit is gone from the host; nothing runs to judge
                }
                var local = await podman.ReadLocalTagAsync(current.Image, cancellationToken).ConfigureAwait(false);
                plan = plan with { RunningImageId = local?.ImageId ?? "", RunningDigests = local?.Digests ?? [] };
                if (state.ActiveState != "failed")
                {
                    states.Add(new Unchanged(plan, UnitStatus.NotRunning, $"no container runs for it (unit {state.ActiveState}/{state.SubState}); it is judged again when it runs"));
                }
                else if (local is not null && current.IsRunBy(local.ImageId, local.Digests))
                {
                    states.Add(new Unchanged(plan, UnitStatus.NotRunning, $"failed ({state.Result}) on its verified image {current.Digest}; systemd's restart settings decide what happens next"));
                }
                else
                {
                    states.Add(await machine.RunAsync(new Judging(plan), cancellationToken).ConfigureAwait(false));
                }
            }
            catch (Exception e) when (UnitFailure.Ends(e, cancellationToken))
            {
                states.Add(new Failed(plan, null, null, $"its containers are gone and its state could not be read: {UnitFailure.Describe(e)}"));
            }
        }
        return states;
    }
}
