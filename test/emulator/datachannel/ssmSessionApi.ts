// The session operations of fakeSsmService.ts (unit tests only; the emulator installs its own).
import type { SessionRegistry } from './sessionRegistry';
import { SessionServiceError } from './sessionRegistry';

export const SSM_SESSION_OPERATIONS = ['StartSession', 'ResumeSession', 'TerminateSession'] as const;
export type SsmSessionOperation = (typeof SSM_SESSION_OPERATIONS)[number];

export function isSsmSessionOperation(name: string): name is SsmSessionOperation {
  return (SSM_SESSION_OPERATIONS as readonly string[]).includes(name);
}

/** Runs one of the session operations against the registry; throws SessionServiceError. */
export async function runSsmSessionOperation(
  registry: SessionRegistry,
  operation: SsmSessionOperation,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  switch (operation) {
    case 'StartSession':
      if (
        input.Parameters !== undefined &&
        (typeof input.Parameters !== 'object' || input.Parameters === null)
      ) {
        throw new SessionServiceError('ValidationException', 'Parameters must be a map of string lists.');
      }
      return { ...registry.startSession(input) };
    case 'ResumeSession':
      return { ...registry.resumeSession(input as { SessionId?: string }) };
    case 'TerminateSession':
      return registry.terminateSession(input as { SessionId?: string });
  }
}
