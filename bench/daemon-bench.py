#!/usr/bin/env python3
"""Times one update-agent build as a daemon: start -> READY=1 over several starts, then resident
memory after a stretch of passes. Called by run-daemon.sh; prints one table row.

  daemon-bench.py NAME CONFIG PODMAN_SOCKET STARTS TICK_SECONDS COMMAND...
"""
import os, queue, signal, socket, subprocess, sys, tempfile, threading, time

name, config, podman_socket, starts, ticks = sys.argv[1:6]
command = sys.argv[6:]
starts, ticks = int(starts), int(ticks)
work = tempfile.mkdtemp()
notify_path = os.path.join(work, "notify.sock")
listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
listener.bind(notify_path)


# systemd reads its notify socket all the time; a reader that stops after READY=1 would let the
# queue fill (10 datagrams by default) and the daemon's later notifications wait on it.
ready = queue.Queue()


def drain():
    while True:
        if b"READY=1" in listener.recv(4096):
            ready.put(time.monotonic())


threading.Thread(target=drain, daemon=True).start()


def start(log):
    """Starts the daemon as systemd would (NOTIFY_SOCKET set) and returns it with its time to READY=1."""
    began = time.monotonic()
    daemon = subprocess.Popen(command + ["run", "--config", config], stdout=log, stderr=log,
                              env=dict(os.environ, NOTIFY_SOCKET=notify_path))
    try:
        return daemon, (ready.get(timeout=30) - began) * 1000
    except queue.Empty:
        daemon.kill()
        sys.exit(f"{name}: no READY=1 within 30 s; see its log")


def stop(daemon):
    daemon.send_signal(signal.SIGTERM)
    daemon.wait(timeout=90)


def median(values):
    return sorted(values)[len(values) // 2]


def wake_podman():
    subprocess.run(["curl", "-sf", "--unix-socket", podman_socket, "http://d/_ping"], stdout=subprocess.DEVNULL, check=True)


with open(os.path.join(work, "daemon.log"), "ab") as log:
    warm, cold = [], []
    for _ in range(starts):
        wake_podman()  # the Podman API service is up, as on a host where something used it lately
        daemon, ms = start(log)
        warm.append(ms)
        stop(daemon)
    for _ in range(max(1, starts // 2)):
        time.sleep(7)  # the socket-activated service exits after 5 s idle; our first request starts it
        daemon, ms = start(log)
        cold.append(ms)
        stop(daemon)

with open(os.path.join(work, "ticks.log"), "ab") as log:
    daemon, _ = start(log)
    time.sleep(ticks)
    status = dict(line.split(":", 1) for line in open(f"/proc/{daemon.pid}/status"))
    kb = lambda key: int(status[key].split()[0])
    stop(daemon)

passes = open(os.path.join(work, "ticks.log"), errors="replace").read().count("pass finished")
print(f"| {name} | {median(warm):.0f} ms ({min(warm):.0f}–{max(warm):.0f}) | {median(cold):.0f} ms ({min(cold):.0f}–{max(cold):.0f}) "
      f"| {kb('VmRSS') / 1024:.1f} MB | {kb('RssAnon') / 1024:.1f} MB | {kb('RssFile') / 1024:.1f} MB | {passes} |")
