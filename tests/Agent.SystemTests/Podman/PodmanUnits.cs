using UpdateAgent.Podman;
using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Podman;

/// <summary>Units and clients the Podman system tests share.</summary>
internal static class PodmanUnits
{
    /// <summary>A client on the guest's podman socket.</summary>
    public static PodmanClient Client(TestbedFixture testbed) => new(new PodmanClientOptions { SocketPath = testbed.PodmanSocket });

    /// <summary>One unit running two containers from the same image (oneshot: both are started by podman run -d).</summary>
    public static string Pair(string first, string second, string image) => $"""
        [Unit]
        Description=test pair {first} {second}

        [Service]
        Type=oneshot
        RemainAfterExit=yes
        Environment=PODMAN_SYSTEMD_UNIT=%n
        ExecStart=/usr/bin/podman run --replace -d --name {first} --network none --label io.containers.autoupdate=registry --label io.containers.autoupdate.gate=soak {image}
        ExecStart=/usr/bin/podman run --replace -d --name {second} --network none --label io.containers.autoupdate=image {image}
        ExecStop=/usr/bin/podman rm -f -t 2 {first} {second}
        """;

    /// <summary>The CMD that makes the test image's httpd listen on <paramref name="port"/>.</summary>
    public static string HttpdOn(int port) => $"""["/bin/serve","{port}"]""";
}
