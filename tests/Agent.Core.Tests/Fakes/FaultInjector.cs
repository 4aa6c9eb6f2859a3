using System.Reflection;
using System.Runtime.ExceptionServices;

namespace UpdateAgent.Core.Tests.Fakes;

/// <summary>
/// Counts every call the engine makes to its ports (and every statement of the store) and throws
/// at exactly one of them, chosen by number: a test can then fail each call site in turn.
/// </summary>
internal sealed class FaultInjector
{
    /// <summary>The call (0-based, in order) that throws; -1 for none.</summary>
    public int ThrowAt { get; init; } = -1;

    /// <summary>Makes the exception for a call site (e.g. <c>IContainerHost.PullByDigestAsync</c>).</summary>
    public Func<string, Exception> Make { get; init; } = site => new InvalidOperationException($"injected fault at {site}");

    /// <summary>A call site that throws every time it is reached (a port that keeps failing).</summary>
    public string? AlwaysAt { get; init; }

    /// <summary>Calls are counted (and may throw) only once armed, so a test's own setup is not among them.</summary>
    public bool Armed { get; set; }

    /// <summary>Every call site reached, in order.</summary>
    public List<string> Sites { get; } = [];

    /// <summary>The site that threw, once it has.</summary>
    public string? Thrown { get; private set; }

    /// <summary>
    /// Counts a call and throws if it is the chosen one. Registry reads run in parallel, so the
    /// order of calls (not their number) may differ between two runs of the same pass.
    /// </summary>
    public void Hit(string site)
    {
        if (!Armed)
        {
            return;
        }
        lock (Sites)
        {
            Sites.Add(site);
            if (Sites.Count - 1 != ThrowAt && site != AlwaysAt)
            {
                return;
            }
            Thrown = site;
        }
        throw Make(site);
    }

    public T Wrap<T>(T target) where T : class
    {
        var proxy = DispatchProxy.Create<T, FaultProxy<T>>();
        ((FaultProxy<T>)(object)proxy).Attach(target, this);
        return proxy;
    }
}

/// <summary>Forwards each call of <typeparamref name="T"/> to the fake behind it, after asking the injector.</summary>
public class FaultProxy<T> : DispatchProxy where T : class
{
    private T? _target;
    private FaultInjector? _injector;

    internal void Attach(T target, FaultInjector injector)
    {
        _target = target;
        _injector = injector;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        _injector!.Hit($"{typeof(T).Name}.{targetMethod.Name}");
        try
        {
            return targetMethod.Invoke(_target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
