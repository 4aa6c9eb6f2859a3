using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// An image whose PID 1 is systemd, as UBI's <c>ubi-init</c> is, built from the guest's own
/// systemd (no base image can be pulled here): systemd, its executor and shutdown binaries with
/// their libraries, the halt targets, and one service, busybox <c>httpd</c> on port 8080 serving
/// <c>/www</c> (with <c>/www/health</c> unless unhealthy). <c>CMD /sbin/init</c>,
/// <c>STOPSIGNAL SIGRTMIN+3</c>: on that signal systemd halts and the container exits 0.
/// </summary>
internal static class SystemdImage
{
    public static async Task<string> PushAsync(TestbedFixture testbed, string reference, IEnumerable<string> labels, bool healthy)
    {
        var root = $"/tmp/sdimage-{Guid.NewGuid():N}";
        var local = $"localhost/sdimage-{Guid.NewGuid():N}:build";
        await testbed.ShellInGuestAsync($$"""
            set -e
            R={{root}}
            copy() { for f in "$@"; do mkdir -p "$R$(dirname "$f")"; cp -L "$f" "$R$f"; done; }
            for b in /usr/lib/systemd/systemd /usr/lib/systemd/systemd-executor /usr/lib/systemd/systemd-shutdown; do
              copy "$b"; copy $(ldd "$b" | grep -o '/[^ ]*')
            done
            for u in halt.target systemd-halt.service shutdown.target umount.target final.target; do copy /usr/lib/systemd/system/$u; done
            mkdir -p $R/sbin $R/bin $R/www $R/etc/systemd/system $R/run $R/tmp $R/var $R/proc $R/sys $R/dev
            ln -s /usr/lib/systemd/systemd $R/sbin/init
            cp /etc/os-release $R/etc/os-release
            : > $R/etc/machine-id
            echo 'root:x:0:0::/:/bin/sh' > $R/etc/passwd
            echo 'root:x:0:' > $R/etc/group
            printf '[Unit]\nDescription=app\nWants=web.service\n' > $R/etc/systemd/system/default.target
            printf '[Unit]\nDefaultDependencies=no\nConflicts=shutdown.target\nBefore=shutdown.target\n[Service]\nExecStart=/bin/busybox httpd -f -p 8080 -h /www\n' > $R/etc/systemd/system/web.service
            echo {{reference}} > $R/www/index.html
            {{(healthy ? "echo ok > $R/www/health" : "")}}
            """);
        // The guest has no busybox; the host's is static.
        File.Copy("/usr/bin/busybox", $"/proc/{testbed.GuestPid}/root{root}/bin/busybox");
        var changes = string.Join(' ', labels.Select(l => $"--change 'LABEL={l}'"));
        var digest = await testbed.ShellInGuestAsync($$"""
            set -e
            cd {{root}} && ln -s busybox bin/sh && chmod 755 bin/busybox
            tar --owner=0 --group=0 -cf {{root}}.tar .
            podman import -q --change 'CMD=["/sbin/init"]' --change 'STOPSIGNAL=SIGRTMIN+3' {{changes}} {{root}}.tar {{local}} >/dev/null
            podman push -q --tls-verify=false --format oci --digestfile {{root}}.digest {{local}} docker://{{reference}} >&2
            podman rmi -f {{local}} >/dev/null 2>&1 || true
            cat {{root}}.digest
            rm -rf {{root}} {{root}}.tar {{root}}.digest
            """);
        return digest.Trim();
    }
}
