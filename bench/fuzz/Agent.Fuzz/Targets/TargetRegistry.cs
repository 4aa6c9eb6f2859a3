namespace UpdateAgent.Fuzz.Targets;

/// <summary>Every target by name, in the order <c>run.sh list</c> shows them.</summary>
internal static class TargetRegistry
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        ManifestTarget.Target,
        ImageConfigTarget.Target,
        SimpleSigningTarget.Target,
        BundleTarget.Target,
        DsseTarget.Target,
        FulcioTarget.Target,
        CheckpointTarget.Target,
        TlogTarget.Target,
        WwwAuthenticateTarget.Target,
        AuthJsonTarget.Target,
        RegistriesConfTarget.Target,
        PolicyTarget.Target,
        TrustedRootTarget.Target,
        AgentConfigTarget.Target,
        HealthLabelsTarget.Target,
        RegistryAuthHeaderTarget.Target,
        JournaledStateTarget.Target,
        PullStreamTarget.Target,
        LegacySigBundleTarget.Target,
        CredentialHelperTarget.Target,
        PodmanErrorTarget.Target,
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
