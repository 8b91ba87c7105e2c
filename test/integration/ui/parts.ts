// Locators for the parts of the VS Code workbench our UI tests touch (VS Code 1.100 DOM).
import * as fs from 'fs';
import * as path from 'path';
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

/** What the in-page functions below read of the DOM (the tests compile without the DOM library). */
interface PageGlobals {
  document: {
    querySelector(selector: string): {
      value: string;
      selectionStart: number | null;
      selectionEnd: number | null;
    } | null;
    querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
  };
}

/**
 * Waits until code-server's save dialog (a quick input titled `titleText`) has finished its first listing, then
 * types `filePath` into it and accepts. The dialog shows before it has listed the default folder, and the listing
 * then overwrites the input's value; it marks the end of that listing by selecting the default file's name
 * without its extension (`model` of `.../model.txt`), so typing waits for that selection.
 */
export async function saveAsInDialog(
  page: Page,
  titleText: string,
  defaultName: string,
  filePath: string,
): Promise<void> {
  const widget = page.locator('.quick-input-widget').filter({ hasText: titleText });
  await widget.waitFor({ timeout: 60_000 });
  const stem = defaultName.replace(/\.[^.]*$/, '');
  await page.waitForFunction(
    ([name, stemLength]) => {
      const input = (globalThis as unknown as PageGlobals).document.querySelector(
        '.quick-input-widget input',
      );
      if (!input?.value.endsWith(`/${name}`)) return false;
      const start = input.value.length - name.length;
      return input.selectionStart === start && input.selectionEnd === start + stemLength;
    },
    [defaultName, stem.length] as const,
    { timeout: 60_000 },
  );
  const input = widget.locator('input');
  await input.fill(filePath);
  // The dialog now lists the typed folder; an accept while it is busy with that can be lost, so accept once the
  // listing shows (the folder's own entries, or just `..` for an empty folder).
  const listed = fs.readdirSync(path.dirname(filePath))[0] ?? '..';
  await widget.locator('.quick-input-list .monaco-list-row', { hasText: listed }).first().waitFor();
  await input.press('Enter');
  await widget.waitFor({ state: 'hidden' });
}

/** The open quick pick's rows as shown (label and description run together without spaces), once `expected` all show. */
export async function quickPickRowsOnceShown(page: Page, expected: readonly string[]): Promise<string[]> {
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await page.waitForFunction(
    (wanted) => {
      const shown = [
        ...(globalThis as unknown as PageGlobals).document.querySelectorAll(
          '.quick-input-widget .quick-input-list .monaco-list-row',
        ),
      ].map((row) => (row.textContent ?? '').replace(/\s+/g, ''));
      return wanted.every((row) => shown.includes(row));
    },
    expected,
    { timeout: 30_000 },
  );
  return (await rows.allTextContents()).map((text) => text.replace(/\s+/g, ''));
}
