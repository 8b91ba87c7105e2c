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

/** The open context menu (a tree row's, after a right click). */
export function contextMenu(page: Page): Locator {
  return page.locator('.context-view .monaco-menu');
}

/** Right-clicks a row and returns the entries of the context menu that opens (it stays open). */
export async function openContextMenu(page: Page, row: Locator): Promise<string[]> {
  await row.click({ button: 'right' });
  const menu = contextMenu(page);
  await menu.waitFor({ state: 'visible' });
  return (await menu.getByRole('menuitem').allTextContents()).map((text) => text.trim());
}

/**
 * Runs an entry of the open context menu with the keyboard: Monaco menus run a focused entry on Enter, while
 * a synthetic click right after the menu opened does not always reach it.
 */
export async function runMenuEntry(page: Page, name: string): Promise<void> {
  const item = contextMenu(page).getByRole('menuitem', { name });
  await item.hover();
  await item.focus();
  await page.keyboard.press('Enter');
  await contextMenu(page).waitFor({ state: 'hidden' });
}

/** Expands or collapses one view's section by clicking its header (no-op when it already is). */
export async function setViewExpanded(page: Page, viewTitle: string, expanded: boolean): Promise<void> {
  const header = viewPane(page, viewTitle).locator('.pane-header');
  await header.waitFor({ state: 'visible' });
  if (((await header.getAttribute('aria-expanded')) === 'true') !== expanded) await header.click();
}
