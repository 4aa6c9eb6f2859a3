namespace UpdateAgent.Podman;

/// <summary>A container's state as of one inspect.</summary>
/// <param name="Id">Full container ID.</param>
/// <param name="Name">Container name (no leading slash).</param>
/// <param name="Status">Podman's state word (<c>running</c>, <c>exited</c>, …).</param>
/// <param name="Running">Whether it is running.</param>
/// <param name="ImageId">ID of the image it runs.</param>
/// <param name="Health">Its health check's verdict, <see cref="HealthStatus.None"/> without one.</param>
/// <param name="FailingStreak">How many health checks in a row have failed.</param>
/// <param name="RestartCount">How often podman restarted it (restart policy).</param>
/// <param name="StartedAt">When it last started, if it did.</param>
/// <param name="NetworkMode">Its network mode as podman reports it (<c>host</c>, <c>none</c>, <c>bridge</c>, <c>container:ID</c>…).</param>
/// <param name="NetworkNamespace">
/// The path of its network namespace as podman sees it (<c>/proc/PID/ns/net</c>,
/// <c>/run/netns/…</c>); empty when podman names none.
/// </param>
public sealed record ContainerState(
    string Id,
    string Name,
    string Status,
    bool Running,
    string ImageId,
    HealthStatus Health,
    long FailingStreak,
    long RestartCount,
    DateTimeOffset? StartedAt,
    string NetworkMode = "",
    string NetworkNamespace = "");
