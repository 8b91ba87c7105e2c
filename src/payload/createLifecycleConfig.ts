import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { PayloadAwsError } from './errors';
import type { StudioLifecycleAppType } from './lifecycleConfig';
import { checkLifecycleConfigName, lifecycleConfigContent } from './lifecycleConfig';
import { errorName } from '../util/errors';

export interface CreateLifecycleConfigRequest {
  readonly name: string;
  /** The script (plain text); it is base64-encoded here. */
  readonly script: string;
  readonly appType: StudioLifecycleAppType;
}

function explain(error: unknown, name: string): PayloadAwsError {
  switch (errorName(error)) {
    case 'AccessDeniedException':
    case 'AccessDenied':
      return new PayloadAwsError(
        'LifecycleConfigDenied',
        `Your AWS identity may not create Studio lifecycle configurations (IAM action ` +
          `sagemaker:CreateStudioLifecycleConfig on studio-lifecycle-config/${name}). The script is on the ` +
          'clipboard: an administrator can create it in the SageMaker console (Admin configurations > ' +
          'Lifecycle configurations).',
        error,
      );
    case 'ResourceInUse':
      return new PayloadAwsError(
        'LifecycleConfigExists',
        `A Studio lifecycle configuration named "${name}" already exists, and configurations cannot be changed. ` +
          'Choose another name, or delete the old one first (detach it from domains and spaces).',
        error,
      );
    case 'ResourceLimitExceeded':
      return new PayloadAwsError(
        'LifecycleConfigLimit',
        `The account has reached its number of Studio lifecycle configurations: delete unused ones. ${(error as Error).message}`,
        error,
      );
    default:
      return new PayloadAwsError(
        'LifecycleConfigFailed',
        `Creating the Studio lifecycle configuration "${name}" failed: ${(error as Error).message}`,
        error,
      );
  }
}

/** CreateStudioLifecycleConfig; returns the new configuration's ARN. */
export async function createStudioLifecycleConfig(
  sagemaker: SageMakerClient,
  request: CreateLifecycleConfigRequest,
): Promise<string> {
  const { CreateStudioLifecycleConfigCommand } = await import('@aws-sdk/client-sagemaker');
  const name = checkLifecycleConfigName(request.name);
  const content = lifecycleConfigContent(request.script);
  try {
    const out = await sagemaker.send(
      new CreateStudioLifecycleConfigCommand({
        StudioLifecycleConfigName: name,
        StudioLifecycleConfigContent: content,
        StudioLifecycleConfigAppType: request.appType,
      }),
    );
    return out.StudioLifecycleConfigArn ?? '';
  } catch (error) {
    throw explain(error, name);
  }
}
