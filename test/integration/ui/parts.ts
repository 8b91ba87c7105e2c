// Locators for the parts of the VS Code workbench our UI tests touch (VS Code 1.100 DOM).
import type { Locator, Page } from 'playwright-core';

/** The activity-bar entry of a view container, found by its accessible name (the container's title). */
export function activityBarItem(page: Page, title: string): Locator {
  return page.locator('.part.activitybar').getByRole('tab', { name: title });
}

/** Shows a view container in the side bar (clicking an already-selected item would hide the side bar). */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const item = activityBarItem(page, title);
  await item.waitFor({ state: 'visible' });
  if ((await item.getAttribute('aria-selected')) !== 'true') await item.click();
  await page.locator('.part.sidebar').waitFor({ state: 'visible' });
}

/** The side-bar section (header + body) of one view, by its title. */
export function viewPane(page: Page, viewTitle: string): Locator {
  return page
    .locator('.part.sidebar .pane')
    .filter({ has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^${viewTitle}$`, 'i') }) });
}

/** Titles of the views currently shown in the side bar, as declared (the DOM upper-cases them via CSS only). */
export async function sideBarViewTitles(page: Page): Promise<string[]> {
  const titles = await page.locator('.part.sidebar .pane-header h3.title').allTextContents();
  return titles.map((title) => title.trim());
}

/** Rows of a tree view (each has role treeitem; aria-label is the item's label + description). */
export function treeItems(page: Page, viewTitle: string): Locator {
  return viewPane(page, viewTitle).getByRole('treeitem');
}
