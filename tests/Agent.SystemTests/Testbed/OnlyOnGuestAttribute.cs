using Xunit.Sdk;

namespace UpdateAgent.SystemTests.Testbed;

/// <summary>
/// The test needs what only one guest has (podman 5's Quadlet, say); <paramref name="reason"/>
/// says what. test.sh leaves it out of the other guests' runs and prints that it did, and the
/// test fails loudly if it is run on another guest anyway.
/// </summary>
[TraitDiscoverer("UpdateAgent.SystemTests.Testbed.GuestTraitDiscoverer", "Agent.SystemTests")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class OnlyOnGuestAttribute(string guest, string reason) : Attribute, ITraitAttribute
{
    /// <summary>The only guest the test runs on.</summary>
    public string Guest { get; } = guest;

    /// <summary>Why it needs that guest.</summary>
    public string Reason { get; } = reason;
}

/// <summary>Turns <see cref="OnlyOnGuestAttribute"/> into the <see cref="Guests.Trait"/> trait.</summary>
public sealed class GuestTraitDiscoverer : ITraitDiscoverer
{
    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        ArgumentNullException.ThrowIfNull(traitAttribute);
        var guest = traitAttribute.GetConstructorArguments().FirstOrDefault() as string;
        yield return new KeyValuePair<string, string>(Guests.Trait, guest ?? "");
    }
}
