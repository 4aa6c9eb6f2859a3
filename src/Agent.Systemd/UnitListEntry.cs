namespace UpdateAgent.Systemd;

/// <summary>One row of <c>ListUnitsByPatterns</c>.</summary>
/// <param name="Name">Unit name.</param>
/// <param name="Description">Its description.</param>
/// <param name="LoadState">Load state.</param>
/// <param name="ActiveState">Active state.</param>
/// <param name="SubState">Sub state.</param>
/// <param name="ObjectPath">The unit's object path.</param>
public sealed record UnitListEntry(string Name, string Description, string LoadState, string ActiveState, string SubState, string ObjectPath);
