/**
 * Local AWS emulator for tests, benchmarks and the demo. See README.md in this folder.
 *
 *   const emulator = await startEmulator({ scenario: 'test/emulator/scenarios/demo.json' });
 *   const sagemaker = new SageMakerClient({ endpoint: emulator.endpoint, region: emulator.state.region,
 *                                           credentials: emulator.credentials() });
 */
export { Emulator, startEmulator, type StartEmulatorOptions } from './emulator';
export type { ActivationRequest } from './services/ssm/activations';
export { AwsError } from './errors';
export type { CallFilter, CallLog, CallRecord } from './callLog';
export type { FaultDecision, FaultInjector, FaultRule } from './faults';
export type {
  Handler,
  JsonObject,
  JsonOperation,
  JsonOperationTable,
  OperationContext,
  OperationSpec,
  QueryOperation,
  QueryOperationTable,
  QueryParams,
  S3Operation,
  S3OperationTable,
  S3Request,
  S3Response,
  S3Route,
} from './operations';
export { JsonInput } from './protocols/jsonInput';
export { loadScenarioFile, ScenarioError, validateScenario } from './scenario/load';
export type * from './scenario/types';
export type { AddOperationsOptions } from './server/registry';
export type { UpgradeHandler } from './server/upgrades';
export type { InstanceRegistrationInfo } from './services/ssm/registration';
export type { EmulatorState, StateSummary } from './state';
export type { ManagedInstanceRecord } from './stores/instances';
export type { TrainingJobRecord } from './stores/trainingJobs';
export type { AppRecord, DomainRecord, SpaceRecord, UserProfileRecord } from './stores/studio';
export { generateScenario, type GenerateOptions } from './generate';
export { SimulatedContainer } from './containers/container';
export type { ContainerSpec, ExecOptions, ExecResult, SpawnInContainerOptions } from './containers/container';
export type { ContainerFile, ContainerUser } from './containers/sandbox';
export { ContainerManager } from './containers/manager';
export type { ManagedContainerSpec, SshNode, SshNodeSpec } from './containers/manager';
export type { DeclaredNode } from './containers/declared';
export type { SshTags } from './containers/bootstrap';
export { ContainerExecError, ContainerIsolationError, ContainerStartError } from './containers/errors';
export type { RequestHandler } from './emulator';
