using Microsoft.Extensions.Logging;
using UpdateAgent.Configuration;
using UpdateAgent.Core.Configuration;
using UpdateAgent.Trust.Policy;

namespace UpdateAgent.Hosting;

/// <summary>Settings and trust policy, loaded and checked completely before anything runs.</summary>
internal sealed record AgentContext(AgentSettings Settings, TrustPolicy? Policy, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>
    /// Loads the agent configuration (one file with <paramref name="configFile"/>, else the layered
    /// defaults) and, when <paramref name="needPolicy"/>, the trust policy it names. Every problem is
    /// listed, with file and key, and files others than root could change are refused.
    /// </summary>
    public static AgentContext Load(string? configFile, bool needPolicy)
    {
        var scope = AgentScope.Current;
        if (scope.Problem() is { } scopeProblem)
        {
            return new AgentContext(scope.Defaults(), null, [scopeProblem]);
        }
        var files = configFile is null ? scope.DefaultFiles() : [configFile];
        var (settings, configErrors) = AgentConfigLoader.Load(files, configFile is null ? null : [configFile], scope.Defaults());
        var errors = configErrors.Select(e => e.ToString()).Concat(scope.SettingProblems(settings)).ToList();
        TrustPolicy? policy = null;
        if (needPolicy && errors.Count == 0)
        {
            var loaded = TrustPolicyLoader.Load(settings.PolicyPath);
            errors.AddRange(loaded.Errors.Select(e => e.ToString()));
            policy = loaded.Policy;
        }
        // A user instance's own settings may be its user's; the policy and what it names stay root's.
        errors.AddRange(FilePermissions.Check(files, scope.IsUser ? ProcessIdentity.EffectiveUid : null));
        errors.AddRange(FilePermissions.Check([settings.PolicyPath, .. policy?.Files ?? []]));
        return new AgentContext(settings, policy, errors);
    }

    /// <summary>Writes every error and returns the usage exit code.</summary>
    public int Fail(string command, TextWriter error)
    {
        foreach (var problem in Errors)
        {
            error.WriteLine($"update-agent {command}: {problem}");
        }
        return ExitCodes.UsageError;
    }

    public static ILoggerFactory Loggers(bool verbose) =>
        LoggerFactory.Create(b => b.AddProvider(new StderrLoggerProvider(verbose ? LogLevel.Debug : LogLevel.Information)).SetMinimumLevel(LogLevel.Debug));
}
