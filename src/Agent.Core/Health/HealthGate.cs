using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Health;

/// <summary>
/// Judges a unit after a restart, by <see cref="HealthGateSettings"/>. Waiting uses the injected
/// <see cref="TimeProvider"/>, so tests drive it with a fake clock instead of sleeping.
/// </summary>
public sealed class HealthGate(IUnitControl units, IContainerHost podman, IHttpProbe http, TimeProvider time)
{
    /// <summary>Runs every check in order and stops at the first failure.</summary>
    public async Task<HealthVerdict> EvaluateAsync(string unit, IReadOnlyList<string> containers, HealthGateSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(settings);
        var findings = new List<string>();
        var baseline = await units.GetStateAsync(unit, cancellationToken).ConfigureAwait(false);
        if (!baseline.IsActive)
        {
            findings.Add($"unit is {baseline.ActiveState}/{baseline.SubState} (result {baseline.Result}, exit status {baseline.ExecMainStatus})");
            return new HealthVerdict(false, findings);
        }
        findings.Add("unit active");

        if (settings.ContainerHealth)
        {
            foreach (var container in containers)
            {
                var (ok, finding) = await WaitForContainerHealthAsync(container, settings.CheckTimeout, cancellationToken).ConfigureAwait(false);
                findings.Add(finding);
                if (!ok)
                {
                    return new HealthVerdict(false, findings);
                }
            }
        }
        if (settings.HttpProbe is { } url)
        {
            // From the first container's network: the containers of a unit (a pod) share one.
            var (ok, finding) = await RetryUntilAsync(settings.CheckTimeout, cancellationToken,
                async () => await http.ProbeAsync(url, containers.FirstOrDefault(), TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            findings.Add(finding);
            if (!ok)
            {
                return new HealthVerdict(false, findings);
            }
        }
        if (settings.Command is { Count: > 0 } command && containers.Count > 0)
        {
            var (ok, finding) = await RetryUntilAsync(settings.CheckTimeout, cancellationToken, async () =>
            {
                var result = await podman.ExecAsync(containers[0], command, cancellationToken).ConfigureAwait(false);
                return (result.ExitCode == 0, $"'{string.Join(' ', command)}' in {containers[0]} exited {result.ExitCode}");
            }).ConfigureAwait(false);
            findings.Add(finding);
            if (!ok)
            {
                return new HealthVerdict(false, findings);
            }
        }
        var soak = await SoakAsync(unit, baseline.RestartCount, baseline.InvocationId, settings, containers, cancellationToken).ConfigureAwait(false);
        findings.Add(soak.Finding);
        return new HealthVerdict(soak.Ok, findings);
    }

    private async Task<(bool, string)> WaitForContainerHealthAsync(string container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Every wait here is measured on the monotonic clock: a wall clock stepped an hour must neither end a soak early nor stretch it by an hour.
        var started = time.GetTimestamp();
        while (true)
        {
            var run = await podman.RunHealthCheckAsync(container, cancellationToken).ConfigureAwait(false);
            switch (run.Outcome)
            {
                case HealthCheckOutcome.NotDefined:
                    return (true, $"{container} defines no health check");
                // A unit that runs its container in the foreground (Type=simple) is active before the
                // container exists: not running yet is only a failure once the check timeout passed.
                case HealthCheckOutcome.NotRunning when time.GetElapsedTime(started) >= timeout:
                    return (false, $"{container} is not running (waited {timeout.TotalSeconds:0.#} s)");
                case HealthCheckOutcome.NotRunning:
                    await Task.Delay(HealthGateSettings.PollInterval, time, cancellationToken).ConfigureAwait(false);
                    continue;
            }
            if (run.Status == HealthStatus.Healthy)
            {
                return (true, $"{container} healthy");
            }
            if (run.Status == HealthStatus.Unhealthy)
            {
                return (false, $"{container} unhealthy{(run.Detail is { } detail ? ": " + detail : "")}");
            }
            if (time.GetElapsedTime(started) >= timeout)
            {
                return (false, $"{container} not healthy within {timeout.TotalSeconds:0.#} s (last status {run.Status})");
            }
            await Task.Delay(HealthGateSettings.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(bool, string)> RetryUntilAsync(TimeSpan timeout, CancellationToken cancellationToken, Func<Task<(bool Ok, string Finding)>> check)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var (ok, finding) = await check().ConfigureAwait(false);
            if (ok)
            {
                return (true, finding);
            }
            if (time.GetElapsedTime(started) >= timeout)
            {
                return (false, $"{finding} (still failing after {timeout.TotalSeconds:0.#} s)");
            }
            await Task.Delay(HealthGateSettings.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    // The unit must stay active, not restart and keep its invocation for the whole window; a
    // container health check turning unhealthy meanwhile fails it too.
    private async Task<(bool Ok, string Finding)> SoakAsync(string unit, uint restarts, string invocation, HealthGateSettings settings, IReadOnlyList<string> containers, CancellationToken cancellationToken)
    {
        if (settings.Soak <= TimeSpan.Zero)
        {
            return (true, "no soak window");
        }
        var started = time.GetTimestamp();
        var step = settings.Soak < TimeSpan.FromSeconds(5) ? settings.Soak : TimeSpan.FromSeconds(5);
        while (true)
        {
            var remaining = settings.Soak - time.GetElapsedTime(started);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining < step ? remaining : step, time, cancellationToken).ConfigureAwait(false);
            }
            var state = await units.GetStateAsync(unit, cancellationToken).ConfigureAwait(false);
            if (!state.IsActive || state.RestartCount != restarts || state.InvocationId != invocation)
            {
                return (false, $"unit did not stay up during the {settings.Soak.TotalSeconds:0.#} s soak: {state.ActiveState}/{state.SubState}, restarts {restarts}→{state.RestartCount}");
            }
            if (settings.ContainerHealth)
            {
                foreach (var container in containers)
                {
                    var inspected = await podman.InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
                    if (!inspected.Running || inspected.Health == HealthStatus.Unhealthy)
                    {
                        return (false, $"{container} {(inspected.Running ? "turned unhealthy" : "stopped")} during the soak");
                    }
                }
            }
            if (time.GetElapsedTime(started) >= settings.Soak)
            {
                return (true, $"stayed up for the {settings.Soak.TotalSeconds:0.#} s soak");
            }
        }
    }
}
