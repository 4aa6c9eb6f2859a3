namespace UpdateAgent;

/// <summary>The man-page text of <c>update-agent --help</c>.</summary>
internal static class Help
{
    public const string Root = """
        update-agent - move podman units to a new image only when it is signed, blessed, from the right source and not older

        Replaces podman-auto-update.timer. Finds the containers systemd units run (labels
        io.containers.autoupdate and PODMAN_SYSTEMD_UNIT), resolves each image's tag, and moves a unit
        to the new digest only when the trust policy accepts it; pulls by digest, restarts through
        systemd, gates on health and rolls back to the exact previous image when the gate fails.
        Every pass also judges what each unit RUNS: an image update-agent did not verify (a hand
        pull, another updater, Pull=newer) is "unverified" - restored to the last verified digest
        or reported, never "up to date"; a unit that pulls on every start, or a "local" one whose
        image has no registry digest, is "unmanageable".

        ROOTLESS UNITS
          update-agent --user COMMAND runs as one user for that user's rootless units: that user's
          systemd manager (the user bus) and podman socket ($XDG_RUNTIME_DIR/podman/podman.sock), the
          same root-owned trust policy, state in ~/.local/state/update-agent, settings in
          ~/.config/update-agent/agent.toml. The user unit update-agent.service runs it
          (systemctl --global enable update-agent.service enables it for every user).

        FILES
          /etc/update-agent/policy.toml     trust policy (authorities, image rules)
          /etc/update-agent/agent.toml      agent settings; drop-ins in /etc/update-agent/agent.d/
          /var/lib/update-agent/history.db  history, intent journal, ledger of verified digests, holds, quarantine

        EXIT CODES
          0  done (verify: accepted)
          1  refused by policy (verify), or the guard refused to start a unit
          2  bad arguments or configuration; nothing was done
          3  could not decide, or podman, systemd or the registry could not be reached (check: a candidate nobody could decide on, or stopped before its report)
          4  a unit failed or was rolled back
          5  another update is running (lock held)
          6  check: a unit runs an image update-agent did not verify (unverified), or pulls its tag on start or is a local image without a registry digest (unmanageable)
        """;
}
