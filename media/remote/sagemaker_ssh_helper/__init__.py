"""SSH access to SageMaker containers through AWS Systems Manager: the container side.

Ship this directory with your training code (``dependencies=[".../sagemaker_ssh_helper"]`` or a copy in
``source_dir``) and call, at the top of the entry script::

    import sagemaker_ssh_helper
    sagemaker_ssh_helper.setup_and_start_ssh()

It is compatible with training scripts written for the sagemaker-ssh-helper library and needs only
the Python standard library (Python 3.8 or later). The work is done by the sm-* scripts next to
this file.
"""

import json
import os
import subprocess
import sys
import time
from datetime import timedelta

__all__ = ["setup_and_start_ssh", "wait_for_debugger", "is_last_session_timeout", "node_rank"]

#: The port debugpy listens on when neither the call nor SSH_DEBUGGER_PORT names one.
DEFAULT_DEBUGGER_PORT = 5678

#: Seconds to sleep after a failed setup before re-raising, so that the logs reach CloudWatch
#: before the job ends. Tests set it lower.
FAILURE_DELAY_SECONDS = 60.0

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_LOG_PREFIX = "[sagemaker-ssh]"
_last_session_seen = None


def _log(message):
    print("%s %s" % (_LOG_PREFIX, message), flush=True)


def node_rank():
    """This node's index among the job's hosts, from resourceconfig.json; 0 when there is none."""
    base_dir = os.environ.get("SAGEMAKER_BASE_DIR", "/opt/ml")
    path = os.path.join(base_dir, "input", "config", "resourceconfig.json")
    try:
        with open(path) as f:
            config = json.load(f)
    except FileNotFoundError:
        return 0
    except (OSError, ValueError) as error:
        _log("WARNING: cannot read %s (%s); assuming node rank 0" % (path, error))
        return 0
    try:
        return list(config["hosts"]).index(config["current_host"])
    except (KeyError, TypeError, ValueError):
        _log("WARNING: %s has no current_host among its hosts; assuming node rank 0" % path)
        return 0


def _instance_count():
    value = os.environ.get("SSH_INSTANCE_COUNT", "1")
    try:
        return int(value)
    except ValueError:
        _log("WARNING: SSH_INSTANCE_COUNT=%r is not a number; using 1" % value)
        return 1


def setup_and_start_ssh():
    """Starts SSH in this container (once) and waits up to SSH_WAIT_TIME_SECONDS for a connection.

    Runs only when START_SSH=true and this node's rank is below SSH_INSTANCE_COUNT (default 1).
    On failure it sleeps FAILURE_DELAY_SECONDS, so the logs reach CloudWatch, then re-raises.
    """
    start_ssh = os.environ.get("START_SSH")
    if start_ssh is None:
        _log(
            "WARNING: START_SSH is not set, so SSH is not started. Set START_SSH=true in the job's "
            "environment (SageMaker SSH's estimator snippet does; with the sagemaker-ssh-helper "
            "library, call wrapper.create() before fit(), run() or deploy())."
        )
        return
    if start_ssh.strip().lower() != "true":
        _log("START_SSH=%s: not starting SSH" % start_ssh)
        return
    rank, count = node_rank(), _instance_count()
    if rank >= count:
        _log("node rank %d is not below SSH_INSTANCE_COUNT=%d: not starting SSH on this node" % (rank, count))
        return
    script = os.path.join(_PACKAGE_DIR, "sm-setup-ssh")
    _log("starting SSH on node rank %d (SSH_INSTANCE_COUNT=%d) with %s" % (rank, count, script))
    try:
        subprocess.check_call(["bash", script])
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        _log(
            "ERROR: SSH setup failed (%s); sleeping %g s so the logs reach CloudWatch, then failing"
            % (error, FAILURE_DELAY_SECONDS)
        )
        sys.stdout.flush()
        time.sleep(FAILURE_DELAY_SECONDS)
        raise
    if _is_true(os.environ.get("SSH_WAIT_FOR_DEBUGGER")):
        wait_for_debugger()


def _is_true(value):
    return value is not None and value.strip().lower() == "true"


def _debugger_port(port):
    if port is not None:
        return int(port)
    value = os.environ.get("SSH_DEBUGGER_PORT")
    if value is None:
        return DEFAULT_DEBUGGER_PORT
    try:
        return int(value)
    except ValueError:
        _log("WARNING: SSH_DEBUGGER_PORT=%r is not a number; using %d" % (value, DEFAULT_DEBUGGER_PORT))
        return DEFAULT_DEBUGGER_PORT


def wait_for_debugger(port=None):
    """Listens for a debugger with debugpy on 127.0.0.1 and blocks until one attaches.

    The port is ``port``, else SSH_DEBUGGER_PORT, else 5678. Loopback only: SageMaker SSH's Attach
    Python Debugger reaches it through an SSM port session, whose agent connects to localhost in
    the container. setup_and_start_ssh() calls it when SSH_WAIT_FOR_DEBUGGER=true. Returns True once
    a client attached; False (training goes on undebugged) when debugpy is not installed.
    """
    port = _debugger_port(port)
    try:
        import debugpy
    except ImportError:
        _log(
            "ERROR: SSH_WAIT_FOR_DEBUGGER / wait_for_debugger(): debugpy is not installed in this image, so "
            "training runs without the debugger. Add debugpy to the image or requirements.txt "
            "(pip install debugpy)."
        )
        return False
    debugpy.listen(("127.0.0.1", port))
    _log(
        "debugpy listens on 127.0.0.1:%d; waiting for a debugger (VS Code: SageMaker SSH, right-click the "
        "node, Attach Python Debugger)" % port
    )
    debugpy.wait_for_client()
    _log("debugger attached; training continues")
    return True


def _session_worker_count():
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(os.path.join("/proc", entry, "cmdline"), "rb") as f:
                program = f.read().split(b"\0", 1)[0]
        except OSError:
            continue
        if os.path.basename(program) == b"ssm-session-worker":
            count += 1
    return count


def is_last_session_timeout(time_delta):
    """True once no SSM session (ssm-session-worker process) has existed for ``time_delta``.

    For placeholder training scripts that keep the job alive while people work over SSH::

        while not sagemaker_ssh_helper.is_last_session_timeout(timedelta(minutes=30)):
            time.sleep(10)
    """
    global _last_session_seen
    if not isinstance(time_delta, timedelta):
        time_delta = timedelta(seconds=float(time_delta))
    now = time.monotonic()
    if _last_session_seen is None or _session_worker_count() > 0:
        _last_session_seen = now
        return False
    return now - _last_session_seen > time_delta.total_seconds()
