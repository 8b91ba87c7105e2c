import * as assert from 'assert';
import { openViewContainer, sideBarViewTitles, viewPane } from './parts';
import { workbench } from './workbench';

describe('SageMaker SSH activity bar (UI)', () => {
  it('opens the SageMaker SSH container with the Training Jobs, Studio and HyperPod views, Other Resources collapsed', async () => {
    const { page, screenshot } = workbench();
    await openViewContainer(page, 'SageMaker SSH');
    await viewPane(page, 'Training Jobs').waitFor({ state: 'visible' });
    await viewPane(page, 'Studio').waitFor({ state: 'visible' });
    await viewPane(page, 'HyperPod').waitFor({ state: 'visible' });
    await screenshot('ui-activitybar');

    const sideBarTitle = await page.locator('.part.sidebar .composite.title h2').textContent();
    assert.match(sideBarTitle ?? '', /SageMaker SSH/i);
    assert.deepStrictEqual(await sideBarViewTitles(page), [
      'Training Jobs',
      'Studio',
      'HyperPod',
      'Other Resources',
    ]);
  });
});
