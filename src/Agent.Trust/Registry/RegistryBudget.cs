namespace UpdateAgent.Trust.Registry;

/// <summary>
/// The registry spending of one verification, charged by every request and every body byte of a
/// client made with <see cref="IRegistryClient.WithBudget"/>. Once any limit is reached the budget
/// stays exhausted: every later request fails at once with <see cref="RegistryFailure.BudgetExceeded"/>,
/// so running out stops the fetching instead of only failing the read that crossed the line.
/// </summary>
public sealed class RegistryBudget : IDisposable
{
    private readonly CancellationTokenSource _clock;
    private readonly CancellationToken _expiry;
    private long _bytes;
    private long _requests;
    private string? _exhausted;

    /// <summary>Starts a budget of <paramref name="limits"/>; its wall time runs on <paramref name="time"/>.</summary>
    public RegistryBudget(VerificationLimits limits, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        Limits = limits;
        _clock = new CancellationTokenSource(limits.MaxDuration, time ?? TimeProvider.System);
        // Kept apart from the source: a read still running when a failed verification returns may link it after disposal.
        _expiry = _clock.Token;
    }

    /// <summary>The limits this budget enforces.</summary>
    public VerificationLimits Limits { get; }

    /// <summary>Body bytes charged so far; never more than <see cref="VerificationLimits.MaxBytes"/>.</summary>
    public long BytesRead => Interlocked.Read(ref _bytes);

    /// <summary>Requests charged so far; never more than <see cref="VerificationLimits.MaxRequests"/>.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Cancelled when the wall time is up.</summary>
    public CancellationToken Expiry => _expiry;

    /// <summary>Which limit ran out first, or null while the budget lasts.</summary>
    public string? Exhausted => Volatile.Read(ref _exhausted) ?? (_clock.IsCancellationRequested ? TimeMessage : null);

    private string TimeMessage => $"the verification took longer than {Limits.MaxDuration.TotalSeconds:0.###} s";

    /// <summary>Throws unless another request may be sent; counts it when it may.</summary>
    internal void ChargeRequest(string what)
    {
        ThrowIfExhausted(what);
        if (Interlocked.Increment(ref _requests) > Limits.MaxRequests)
        {
            Interlocked.Decrement(ref _requests);
            throw Exhaust(what, $"the verification needs more than {Limits.MaxRequests} registry requests");
        }
    }

    /// <summary>Throws unless <paramref name="count"/> more body bytes fit; counts them when they do.</summary>
    internal void ChargeBytes(long count, string what)
    {
        ThrowIfExhausted(what);
        if (Interlocked.Add(ref _bytes, count) > Limits.MaxBytes)
        {
            Interlocked.Add(ref _bytes, -count);
            throw Exhaust(what, $"the verification needs more than {Limits.MaxBytes} bytes from the registry");
        }
    }

    /// <summary>Gives back bytes charged for a read that brought fewer.</summary>
    internal void Refund(long count) => Interlocked.Add(ref _bytes, -count);

    /// <summary>Throws if a limit already ran out.</summary>
    internal void ThrowIfExhausted(string what)
    {
        if (Exhausted is { } why)
        {
            throw Failure(what, why);
        }
    }

    /// <summary>The failure to report when the wall time ended an operation.</summary>
    internal RegistryException Expired(string what, Exception inner) => Failure(what, TimeMessage, inner);

    /// <inheritdoc />
    public void Dispose() => _clock.Dispose();

    private RegistryException Exhaust(string what, string why)
    {
        Interlocked.CompareExchange(ref _exhausted, why, null);
        return Failure(what, why);
    }

    private static RegistryException Failure(string what, string why, Exception? inner = null) =>
        new(RegistryFailure.BudgetExceeded, $"{what}: {why}; the rest was not fetched", inner);
}
