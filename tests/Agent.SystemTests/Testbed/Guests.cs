namespace UpdateAgent.SystemTests.Testbed;

/// <summary>
/// The testbed's guests (folders of tests/testbed/guests) and the trait that ties a test to them.
/// test.sh runs the system tests once per guest and filters on this trait: a test for one guest
/// is left out of the others' runs, and a test that never touches the guest runs in the first only.
/// </summary>
public static class Guests
{
    /// <summary>The trait's name.</summary>
    public const string Trait = "Guest";

    /// <summary>Debian 12: podman 4.3.1, runc, systemd 252.</summary>
    public const string Debian12 = "debian12";

    /// <summary>Debian 13: podman 5.4.2, crun 1.21, systemd 257, Quadlet; the closest to RHEL 10.</summary>
    public const string Debian13 = "debian13";
}
