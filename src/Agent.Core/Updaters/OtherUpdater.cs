namespace UpdateAgent.Core.Updaters;

/// <summary>
/// Something on the host besides update-agent that moves containers to new images without
/// verifying them — today, an enabled or running <c>podman-auto-update.timer</c>.
/// </summary>
/// <param name="Kind">Whose timer it is.</param>
/// <param name="What">What was found, for an operator (the unit and where it is enabled).</param>
/// <param name="Fix">The command that turns it off.</param>
/// <param name="User">The user whose timer it is, for <see cref="UpdaterKind.UserTimer"/>.</param>
public sealed record OtherUpdater(UpdaterKind Kind, string What, string Fix, string? User = null);
