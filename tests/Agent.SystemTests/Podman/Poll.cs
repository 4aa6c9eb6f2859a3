namespace UpdateAgent.SystemTests.Podman;

/// <summary>Waits for a real state by asking again until it holds or a deadline passes (no fixed sleeps).</summary>
internal static class Poll
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> reached, TimeSpan within, string what)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        while (true)
        {
            var last = await probe();
            if (reached(last))
            {
                return last;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen within {within}; last seen: {last}");
            }
            await Task.Delay(Pause);
        }
    }
}
