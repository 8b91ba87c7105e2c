import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidHostAliasError } from '../../../src/targets/targetErrors';
import {
  STABLE_SPACE_ALIAS,
  parseAlias,
  parseTargetAlias,
  stableAliasFor,
  targetAlias,
} from '../../../src/targets/targetAlias';
import { homeFolder, loginUser } from '../../../src/targets/sshTarget';
import { spaceAlias, studioSpaceArn, studioSpaceTarget } from '../../../src/targets/studioSpace';

const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''));
const sageMakerName = fc
  .tuple(alnum, fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), alnum), { maxLength: 30 }))
  .map(([first, rest]) => first + rest.map(([hyphens, c]) => '-'.repeat(hyphens) + c).join(''))
  .filter((name) => name.length <= 63);

function aliasError(alias: string): InvalidHostAliasError {
  try {
    parseAlias(alias);
  } catch (error) {
    assert.ok(error instanceof InvalidHostAliasError, String(error));
    return error;
  }
  assert.fail(`${alias} parsed`);
}

describe('Studio space targets', () => {
  it('names a space <space>.<domain>.space.sagemaker and reads it back', () => {
    const target = studioSpaceTarget('d-abc123', 'dev-space');
    assert.equal(targetAlias(target), 'dev-space.d-abc123.space.sagemaker');
    assert.equal(spaceAlias('dev-space', 'd-abc123'), 'dev-space.d-abc123.space.sagemaker');
    assert.deepEqual(parseTargetAlias('dev-space.d-abc123.space.sagemaker'), target);
  });

  it('round-trips every valid space name, capitals included', () => {
    fc.assert(
      fc.property(sageMakerName, (name) => {
        const target = studioSpaceTarget('d-x1', name);
        assert.deepEqual(parseTargetAlias(targetAlias(target)), target);
      }),
    );
  });

  it('logs in as sagemaker-user in /home/sagemaker-user', () => {
    const target = studioSpaceTarget('d-abc123', 'dev-space');
    assert.equal(loginUser(target), 'sagemaker-user');
    assert.equal(homeFolder(target), '/home/sagemaker-user');
  });

  it('has a stable alias of its own', () => {
    assert.equal(stableAliasFor('studioSpace'), STABLE_SPACE_ALIAS);
    assert.deepEqual(parseAlias(STABLE_SPACE_ALIAS), {
      alias: STABLE_SPACE_ALIAS,
      kind: 'stable',
      stableFor: 'studioSpace',
    });
  });

  it('refuses space aliases without exactly a space and a domain', () => {
    assert.equal(aliasError('dev-space.space.sagemaker').code, 'SSH_INVALID_HOST_ALIAS');
    assert.equal(aliasError('a.dev-space.d-abc123.space.sagemaker').code, 'SSH_INVALID_HOST_ALIAS');
    assert.match(aliasError('dev-space.notadomain.space.sagemaker').message, /domain id/);
    assert.equal(aliasError('.space.sagemaker').code, 'SSH_INVALID_HOST_ALIAS');
  });

  it('gives StartSession the space ARN', () => {
    assert.equal(
      studioSpaceArn(studioSpaceTarget('d-abc123', 'dev-space'), 'aws', 'us-east-1', '123456789012'),
      'arn:aws:sagemaker:us-east-1:123456789012:space/d-abc123/dev-space',
    );
  });
});
