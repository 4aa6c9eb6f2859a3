namespace UpdateAgent.Fuzz.Targets;

/// <summary>One parser under fuzz.</summary>
/// <param name="Name">The name <c>run.sh</c> and <c>replay</c> take.</param>
/// <param name="Handled">The parser's contract: which outcomes are its documented answers to bad input.
/// Anything else that escapes <paramref name="Run"/> is a crash.</param>
/// <param name="Run">Feeds one input to the real parser, catching exactly the handled failures.</param>
internal sealed record FuzzTarget(string Name, string Handled, Action<byte[]> Run)
{
    /// <summary>A target whose parser's one documented failure is <typeparamref name="TException"/>.</summary>
    public static FuzzTarget Catching<TException>(string name, Action<byte[]> parse)
        where TException : Exception =>
        new(name, typeof(TException).Name, input =>
        {
            try
            {
                parse(input);
            }
            catch (TException)
            {
            }
        });
}
