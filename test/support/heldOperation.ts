import type { Emulator, JsonObject } from '../emulator';

/** A call the emulator has received and answers only when the test says so. */
export interface HeldOperation {
  /** Resolves when the call has reached the emulator (the SDK call is in flight). */
  readonly arrived: Promise<void>;
  /** True until `release()`: the emulator is still holding the response. */
  readonly holding: boolean;
  /** Lets the emulator answer (every held call, and the ones after it at once). */
  release(): void;
}

/**
 * Replaces a JSON operation of the emulator with one that holds each call until `release()`, then
 * answers `answer`. No timing involved: the test decides when the response may leave.
 */
export function holdOperation(
  emulator: Emulator,
  service: 'sagemaker' | 'ssm' | 'logs',
  operation: string,
  answer: JsonObject = {},
): HeldOperation {
  let arrive: () => void = () => undefined;
  let release: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding = true;
  emulator.addOperations(
    service,
    {
      [operation]: async () => {
        arrive();
        await released;
        return answer;
      },
    },
    { replace: true },
  );
  return {
    arrived,
    get holding() {
      return holding;
    },
    release() {
      holding = false;
      release();
    },
  };
}
