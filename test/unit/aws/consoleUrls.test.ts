import * as assert from 'node:assert/strict';
import { managedNodeConsoleUrl, trainingJobConsoleUrl } from '../../../src/aws/consoleUrls';

describe('console URLs', () => {
  it('uses the console domain of the partition', () => {
    assert.equal(
      trainingJobConsoleUrl('aws', 'eu-west-1', 'job-1'),
      'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/jobs/job-1',
    );
    assert.match(
      trainingJobConsoleUrl('aws-cn', 'cn-north-1', 'j'),
      /^https:\/\/cn-north-1\.console\.amazonaws\.cn\//,
    );
    assert.match(
      trainingJobConsoleUrl('aws-us-gov', 'us-gov-west-1', 'j'),
      /^https:\/\/console\.amazonaws-us-gov\.com\//,
    );
    assert.match(
      managedNodeConsoleUrl('aws', 'us-east-1', 'mi-0123'),
      /managed-nodes\/mi-0123\/general\?region=us-east-1$/,
    );
  });
});
