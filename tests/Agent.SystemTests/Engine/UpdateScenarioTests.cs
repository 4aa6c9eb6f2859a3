using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>The scenarios with hand-written units (<c>podman run</c> in <c>ExecStart=</c>), on every guest.</summary>
[Collection(TestbedCollection.Name)]
public sealed class UpdateScenarioTests(TestbedFixture testbed, ITestOutputHelper output)
    : UpdateScenarios(testbed, output, UnitKind.HandWritten);
