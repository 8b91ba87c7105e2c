/** This machine cannot give a simulated container its own mount/PID/UTS/network namespaces. */
export class ContainerIsolationError extends Error {
  constructor(detail: string) {
    super(
      `Simulated SageMaker containers need Linux namespaces, and this machine cannot create them: ${detail}. ` +
        'They run as root (CAP_SYS_ADMIN) with util-linux unshare/nsenter, ip (iproute2), python3 ' +
        'and /usr/sbin/sshd (openssh-server). Run the emulator as root on Linux, or remove the "ssh" declarations from the ' +
        "scenario. Nothing was started, and nothing ran in the host's /etc.",
    );
    this.name = 'ContainerIsolationError';
  }
}

/** A container (or its sshd, agent or bootstrap) did not come up. */
export class ContainerStartError extends Error {
  constructor(containerId: string, step: string, detail: string) {
    super(`Simulated container ${containerId}: ${step} failed: ${detail}`);
    this.name = 'ContainerStartError';
  }
}

/** A command could not be run in a container (not the command failing: that is an exit code). */
export class ContainerExecError extends Error {
  constructor(containerId: string, detail: string) {
    super(`Cannot run a command in simulated container ${containerId}: ${detail}`);
    this.name = 'ContainerExecError';
  }
}
