using System.Globalization;
using Docker.DotNet.Models;
using UpdateAgent.Podman.Transport;

namespace UpdateAgent.Podman.Operations;

/// <summary>Container calls: inspect state, run the health check now, run a command inside.</summary>
internal sealed class ContainerOperations(PodmanConnection connection)
{
    public async Task<ContainerState> InspectAsync(string container, CancellationToken cancellationToken)
    {
        References.RequireName(container, "container");
        var inspected = await connection.Policy.RunAsync("inspect container", container, connection.Options.RequestTimeout,
            token => connection.Docker.Containers.InspectContainerAsync(container, token), cancellationToken).ConfigureAwait(false);
        return ToState(inspected);
    }

    public async Task<HealthCheckRun> RunHealthCheckAsync(string container, CancellationToken cancellationToken)
    {
        References.RequireName(container, "container");
        (UpdateAgent.Podman.Libpod.HealthReport? Report, string? Conflict) answer;
        try
        {
            answer = await connection.Policy.RunAsync("run the health check of container", container, connection.Options.RequestTimeout,
                token => connection.Libpod.RunHealthCheckAsync(container, token), cancellationToken).ConfigureAwait(false);
        }
        catch (PodmanNotFoundException missing)
        {
            // Not created yet (a unit that starts it in the foreground) or already removed: either way not running.
            return new HealthCheckRun(container, HealthCheckOutcome.NotRunning, HealthStatus.None, missing.Message);
        }
        var (report, conflict) = answer;
        if (report is not null)
        {
            return new HealthCheckRun(container, HealthCheckOutcome.Ran, HealthStatuses.Parse(report.Status), null);
        }
        // Podman answers 409 both for "no health check defined" and for a container that is not running.
        var outcome = conflict is not null && conflict.Contains("healthcheck", StringComparison.OrdinalIgnoreCase)
            ? HealthCheckOutcome.NotDefined
            : HealthCheckOutcome.NotRunning;
        return new HealthCheckRun(container, outcome, HealthStatus.None, conflict);
    }

    public Task<ExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        References.RequireName(container, "container");
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0 || string.IsNullOrEmpty(command[0]))
        {
            throw new ArgumentException("the command to run in the container is empty", nameof(command));
        }
        var parameters = new ContainerExecCreateParameters { AttachStdout = true, AttachStderr = true, Cmd = [.. command] };
        return connection.Policy.RunAsync($"run '{command[0]}' in container", container, connection.Options.ExecTimeout, async token =>
        {
            var created = await connection.Docker.Exec.CreateContainerExecAsync(container, parameters, token).ConfigureAwait(false);
            var (output, truncated) = await connection.Libpod.StartExecAsync(created.ID, token).ConfigureAwait(false);
            var ended = await connection.Docker.Exec.InspectContainerExecAsync(created.ID, token).ConfigureAwait(false);
            if (ended.Running == true || ended.ExitCode is not { } exitCode)
            {
                throw new PodmanException(container, $"run '{command[0]}' in container '{container}': the output ended but podman reports no exit code");
            }
            return new ExecResult((int)exitCode, output, truncated);
        }, cancellationToken);
    }

    private static ContainerState ToState(ContainerInspectResponse inspected)
    {
        var state = inspected.State;
        return new ContainerState(
            inspected.ID ?? "",
            (inspected.Name ?? "").TrimStart('/'),
            state?.Status ?? "unknown",
            state?.Running ?? false,
            ImageIds.Normalize(inspected.Image ?? ""),
            HealthStatuses.Parse(state?.Health?.Status),
            state?.Health?.FailingStreak ?? 0,
            inspected.RestartCount,
            ParseTime(state?.StartedAt),
            inspected.HostConfig?.NetworkMode ?? "",
            inspected.NetworkSettings?.SandboxKey ?? "");
    }

    /// <summary>Podman writes the zero time (year 1) for "never"; that is no time at all.</summary>
    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time.Year > 1
            ? time
            : null;
}
