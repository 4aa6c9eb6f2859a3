namespace UpdateAgent.Systemd;

/// <summary>One <c>JobRemoved</c> signal: which job ended, and systemd's word for how.</summary>
/// <param name="JobPath">The job's object path.</param>
/// <param name="Result">e.g. <c>done</c>, <c>failed</c>.</param>
internal readonly record struct JobRemoval(string JobPath, string Result);
