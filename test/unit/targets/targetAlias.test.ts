import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidHostAliasError, InvalidSageMakerNameError } from '../../../src/targets/targetErrors';
import {
  STABLE_STUDIO_ALIAS,
  STABLE_TRAINING_ALIAS,
  parseAlias,
  parseTargetAlias,
  studioAlias,
  targetAlias,
  trainingAlias,
} from '../../../src/targets/targetAlias';
import { decodeNameLabel, encodeNameLabel } from '../../../src/targets/nameLabel';
import type { SshTarget } from '../../../src/targets/sshTarget';

const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''));
/** Valid SageMaker names: [a-zA-Z0-9](-*[a-zA-Z0-9])*, at most 63 characters. */
const sageMakerName = fc
  .tuple(alnum, fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), alnum), { maxLength: 30 }))
  .map(([first, rest]) => first + rest.map(([hyphens, c]) => '-'.repeat(hyphens) + c).join(''))
  .filter((name) => name.length <= 63);

describe('host aliases', () => {
  it('uses upstream names for lowercase SageMaker names', () => {
    assert.equal(
      trainingAlias('pytorch-training-2024-01-15-10-00-00-123'),
      'pytorch-training-2024-01-15-10-00-00-123.training.sagemaker',
    );
    assert.equal(trainingAlias('job', 1), 'job.training.sagemaker');
    assert.equal(trainingAlias('job', 3), 'algo-3.job.training.sagemaker');
    assert.equal(studioAlias('default', 'ivankh', 'd-xxxx'), 'default.ivankh.d-xxxx.studio.sagemaker');
    assert.equal(
      targetAlias({ kind: 'studioApp', appName: 'default', ownerName: 'my-space', domainId: 'd-abc123' }),
      'default.my-space.d-abc123.studio.sagemaker',
    );
  });

  it("gives apps of different types with one name in one space different aliases (JupyterLab keeps upstream's)", () => {
    const jupyterLab = studioAlias('default', 'team-space', 'd-emulatordemo1', 'JupyterLab');
    const codeEditor = studioAlias('default', 'team-space', 'd-emulatordemo1', 'CodeEditor');
    assert.equal(jupyterLab, 'default.team-space.d-emulatordemo1.studio.sagemaker');
    assert.equal(codeEditor, 'default.codeeditor.team-space.d-emulatordemo1.studio.sagemaker');
    assert.equal(
      studioAlias('kgw-1', 'alice', 'd-x', 'KernelGateway'),
      'kgw-1.kernelgateway.alice.d-x.studio.sagemaker',
    );
    for (const appType of [
      'JupyterLab',
      'CodeEditor',
      'KernelGateway',
      'JupyterServer',
      'RStudioServerPro',
    ]) {
      const alias = studioAlias('default', 'Team-Space', 'd-x', appType);
      assert.equal(alias, alias.toLowerCase());
      assert.deepEqual(parseAlias(alias), {
        alias,
        kind: 'studioApp',
        appName: 'default',
        appType,
        ownerName: 'Team-Space',
        domainId: 'd-x',
      });
    }
    assert.throws(() => studioAlias('default', 'space', 'd-x', 'Code Editor'), RangeError);
  });

  it('encodes capitals reversibly so names differing only in case get different aliases', () => {
    assert.equal(trainingAlias('MyJob'), 'myjob-5-.training.sagemaker');
    assert.equal(trainingAlias('myJob'), 'myjob-4-.training.sagemaker');
    assert.equal(trainingAlias('myjob'), 'myjob.training.sagemaker');
    assert.equal(
      trainingAlias('TrainingJob-2024-01-15', 2),
      'algo-2.trainingjob-2024-01-15-75-.training.sagemaker',
    );
    assert.equal(studioAlias('default', 'Ivan-K', 'd-xyz'), 'default.ivan-k-x-.d-xyz.studio.sagemaker');
    const parsed = parseAlias('algo-2.trainingjob-2024-01-15-75-.training.sagemaker');
    assert.deepEqual(parsed, {
      alias: 'algo-2.trainingjob-2024-01-15-75-.training.sagemaker',
      kind: 'trainingNode',
      jobName: 'TrainingJob-2024-01-15',
      node: 2,
    });
    assert.equal(
      trainingAlias('A'.repeat(63)),
      `${'a'.repeat(63)}-${((1n << 63n) - 1n).toString(36)}-.training.sagemaker`,
    );
  });

  it('property: the label encoding is a bijection on valid names (decode∘encode = id, lowercase-safe)', () => {
    fc.assert(
      fc.property(sageMakerName, (name) => {
        const label = encodeNameLabel(name);
        assert.match(label, /^[a-z0-9-]+$/);
        assert.equal(decodeNameLabel(label), name);
        assert.equal(label.toLowerCase(), label);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: distinct names never share an alias, including names differing only in case', () => {
    fc.assert(
      fc.property(sageMakerName, fc.array(fc.boolean(), { minLength: 63, maxLength: 63 }), (name, flips) => {
        const variant = [...name].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join('');
        assert.equal(trainingAlias(name) === trainingAlias(variant), name === variant);
        assert.deepEqual(parseAlias(trainingAlias(variant)), {
          alias: trainingAlias(variant),
          kind: 'trainingNode',
          jobName: variant,
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects names SageMaker would not accept, with the offending character', () => {
    const cases: Array<[string, RegExp]> = [
      ['my_job', /"_" at position 3/],
      ['my.job', /"\." at position 3/],
      ['job name', /" " at position 4/],
      ['jöb', /"ö" at position 2/],
      ['-job', /starts or ends with a hyphen/],
      ['job-', /starts or ends with a hyphen/],
      ['', /empty/],
      ['x'.repeat(64), /64 characters/],
      ['../etc', /"\." at position 1/],
    ];
    for (const [name, reason] of cases) {
      assert.throws(
        () => trainingAlias(name),
        (error: unknown) =>
          error instanceof InvalidSageMakerNameError &&
          reason.test(error.message) &&
          error.kind === 'training job',
        name,
      );
    }
    assert.throws(() => studioAlias('default', 'space', 'D-ABC'), {
      code: 'SSH_INVALID_SAGEMAKER_NAME',
      message: /uppercase/,
    });
    assert.throws(() => studioAlias('default', 'space', 'domain'), InvalidSageMakerNameError);
    assert.throws(() => trainingAlias('job', 0), RangeError);
    assert.equal(trainingAlias('Job9'), 'job9-1-.training.sagemaker');
  });

  it('parses aliases back into targets (upstream FQDN rules for Studio)', () => {
    assert.deepEqual(parseAlias('job.training.sagemaker'), {
      alias: 'job.training.sagemaker',
      kind: 'trainingNode',
      jobName: 'job',
    });
    assert.deepEqual(parseAlias('default.ivankh.d-xxxx.studio.sagemaker'), {
      alias: 'default.ivankh.d-xxxx.studio.sagemaker',
      kind: 'studioApp',
      appName: 'default',
      ownerName: 'ivankh',
      domainId: 'd-xxxx',
      appType: 'JupyterLab',
    });
    assert.deepEqual(parseAlias('default.codeeditor.ivankh.d-xxxx.studio.sagemaker'), {
      alias: 'default.codeeditor.ivankh.d-xxxx.studio.sagemaker',
      kind: 'studioApp',
      appName: 'default',
      appType: 'CodeEditor',
      ownerName: 'ivankh',
      domainId: 'd-xxxx',
    });
    // Three dots: label 1 is both app and user/space, label 2 the domain.
    assert.deepEqual(parseAlias('ivankh.d-xxxx.studio.sagemaker'), {
      alias: 'ivankh.d-xxxx.studio.sagemaker',
      kind: 'studioApp',
      appName: 'ivankh',
      ownerName: 'ivankh',
      domainId: 'd-xxxx',
      appType: undefined,
    });
    assert.deepEqual(parseAlias('default.studio.sagemaker'), {
      alias: 'default.studio.sagemaker',
      kind: 'studioApp',
      appName: 'default',
      ownerName: undefined,
      domainId: undefined,
      appType: undefined,
    });
    assert.deepEqual(parseAlias(STABLE_TRAINING_ALIAS), {
      alias: 'sagemaker-training',
      kind: 'stable',
      stableFor: 'trainingNode',
    });
    assert.deepEqual(parseAlias(STABLE_STUDIO_ALIAS), {
      alias: 'sagemaker-studio',
      kind: 'stable',
      stableFor: 'studioApp',
    });
  });

  it('rejects aliases that are not ours or not canonical, saying why', () => {
    const cases: Array<[string, RegExp]> = [
      ['MyJob.training.sagemaker', /lowercase/],
      ['training.sagemaker', /names no resource/],
      ['.training.sagemaker', /names no resource/],
      ['algo-2..training.sagemaker', /"" is not a valid training job label/],
      [
        'algo-1.job.processing.sagemaker',
        /algo-1 is written without a node label: job\.processing\.sagemaker/,
      ],
      ['a.b.job.inference.sagemaker', /at most a node label/],
      ['algo-1.job.training.sagemaker', /algo-1 is written without a node label: job\.training\.sagemaker/],
      ['algo-02.job.training.sagemaker', /not a node label/],
      ['node-2.job.training.sagemaker', /not a node label/],
      ['a.b.job.training.sagemaker', /at most a node label/],
      ['my_job.training.sagemaker', /not a valid training job label/],
      ['myjob-0-.training.sagemaker', /not a valid training job label/],
      ['myjob-5z-.training.sagemaker', /not a valid training job label/],
      ['job9-8-.training.sagemaker', /not a valid training job label/],
      ['default.space.domain.studio.sagemaker', /not a Studio domain id/],
      ['a.9x.c.d-x.studio.sagemaker', /"9x" is not a Studio app type label/],
      ['a.code-editor.c.d-x.studio.sagemaker', /not a Studio app type label like codeeditor/],
      [
        'a.jupyterlab.c.d-x.studio.sagemaker',
        /JupyterLab apps are written without a type label: a\.c\.d-x\.studio\.sagemaker/,
      ],
      ['a.codeeditor.b.c.d-x.studio.sagemaker', /at most app, app type/],
      ['example.com', /does not end in/],
      ['', /does not end in/],
    ];
    for (const [alias, reason] of cases) {
      assert.throws(
        () => parseAlias(alias),
        (error: unknown) => error instanceof InvalidHostAliasError && reason.test(error.message),
        alias,
      );
    }
  });

  it('parseTargetAlias reads back the target of every full alias form; the owner kind stays unknown', () => {
    const targets: SshTarget[] = [
      { kind: 'trainingNode', jobName: 'Bert-Finetune' },
      { kind: 'trainingNode', jobName: 'Bert-Finetune', node: 3 },
      {
        kind: 'studioApp',
        appName: 'default',
        ownerName: 'Team-Space',
        domainId: 'd-x',
        appType: 'JupyterLab',
      },
      { kind: 'studioApp', appName: 'kgw-1', ownerName: 'alice', domainId: 'd-x', appType: 'KernelGateway' },
    ];
    for (const target of targets) {
      assert.deepEqual(parseTargetAlias(targetAlias(target)), target);
    }
    const classic: SshTarget = { ...targets[3], ownerKind: 'userProfile' } as SshTarget;
    assert.equal(targetAlias(classic), targetAlias(targets[3]), 'the owner kind is not part of the alias');
    for (const alias of [STABLE_TRAINING_ALIAS, STABLE_STUDIO_ALIAS, 'default.studio.sagemaker']) {
      assert.throws(
        () => parseTargetAlias(alias),
        (error: unknown) => error instanceof InvalidHostAliasError && error.code === 'SSH_INVALID_HOST_ALIAS',
        alias,
      );
    }
  });
});
