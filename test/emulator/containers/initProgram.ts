/**
 * PID 1 of a simulated container (run with the host's /usr/bin/python3 inside fresh mount, PID, UTS
 * and network namespaces). It brings the loopback interface up before anything else, mounts the
 * sandbox over the host paths, sets the hostname, prints "ready",
 * then reaps orphans until its stdin closes (the emulator stops the container, or the emulator's
 * process died) or it gets SIGTERM. On the way out it asks every process in the container to stop
 * and exits after a short grace period; the kernel then kills whatever is left, because a PID
 * namespace does not outlive its init. Whatever is written to /proc/1/fd/1 is the container log.
 */
export const INIT_PROGRAM = String.raw`
import json, os, signal, socket, subprocess, sys, threading, time

with open(sys.argv[1]) as plan_file:
    plan = json.load(plan_file)

def fail(message):
    sys.stderr.write('container init: ' + message + '\n')
    sys.stderr.flush()
    sys.exit(70)

done = subprocess.run(plan['loopbackUp'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
if done.returncode != 0:
    fail(' '.join(plan['loopbackUp']) + ': ' + done.stdout.decode(errors='replace').strip())

for args in plan['mounts']:
    done = subprocess.run(['mount'] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        fail('mount ' + ' '.join(args) + ': ' + done.stdout.decode(errors='replace').strip())
socket.sethostname(plan['hostname'])
for path, mode in plan['directories']:
    os.makedirs(path, exist_ok=True)
    os.chmod(path, int(mode, 8))
os.chdir('/')

class Stop(Exception):
    pass

def reap(*_):
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return

def stop(*_):
    raise Stop()

def relay(source, target):
    while True:
        data = os.read(source, 65536)
        if not data:
            return
        os.write(target, data)

# The emulator hands init a socket; /proc/1/fd/1 must be a pipe so that "echo ... >/proc/1/fd/1"
# (how payloads write to the job log) can open it. Relay a pipe into the socket.
log_read, log_write = os.pipe()
emulator_stdout = os.dup(1)
os.dup2(log_write, 1)
os.dup2(log_write, 2)
os.close(log_write)
threading.Thread(target=relay, args=(log_read, emulator_stdout), daemon=True).start()

signal.signal(signal.SIGCHLD, reap)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
os.write(1, b'ready\n')
try:
    while os.read(0, 4096):
        pass
except Stop:
    pass
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
try:
    os.kill(-1, signal.SIGTERM)
except ProcessLookupError:
    pass
deadline = time.monotonic() + plan['graceSeconds']
while time.monotonic() < deadline:
    reap()
    if not [entry for entry in os.listdir('/proc') if entry.isdigit() and entry != '1']:
        break
    time.sleep(0.05)
os._exit(0)
`;
