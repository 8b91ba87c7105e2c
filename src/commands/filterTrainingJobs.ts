import * as vscode from 'vscode';
import type { TrainingJobFilters } from '../explorer/trainingJobFilters';
import { trainingJobStatuses } from '../sagemaker/trainingJob';
import type { Explorer } from '../views/registerViews';

type FilterChoice = 'status' | 'name' | 'days' | 'mine' | 'sshReady' | 'clear';

interface ChoiceItem extends vscode.QuickPickItem {
  readonly choice: FilterChoice;
}

function choices(filters: TrainingJobFilters): ChoiceItem[] {
  const check = (on: boolean | undefined): string => (on ? '$(check) ' : '$(circle-large-outline) ');
  return [
    { label: '$(pulse) Status…', description: filters.status ?? 'any', choice: 'status' },
    { label: '$(search) Name contains…', description: filters.nameContains ?? 'any', choice: 'name' },
    {
      label: '$(calendar) Created within…',
      description: filters.createdWithinDays ? `${filters.createdWithinDays} days` : 'any time',
      choice: 'days',
    },
    {
      label: `${check(filters.onlyMine)}Only mine`,
      description: 'SSHOwner is my AWS user id',
      choice: 'mine',
    },
    {
      label: `${check(filters.onlySshReady)}Only SSH-ready`,
      description: 'a node is online',
      choice: 'sshReady',
    },
    { label: '$(clear-all) Clear all filters', choice: 'clear' },
  ];
}

async function pickStatus(current: string | undefined): Promise<string | undefined | null> {
  const items = [
    { label: 'Any status', status: '' },
    ...trainingJobStatuses.map((s) => ({ label: s, status: s })),
  ];
  const picked = await vscode.window.showQuickPick(
    items.map((i) => ({ ...i, description: (i.status || undefined) === current ? 'current' : undefined })),
    { title: 'Training jobs: status' },
  );
  return picked ? picked.status || undefined : null;
}

async function askText(
  title: string,
  value: string | undefined,
  validate?: (v: string) => string | undefined,
): Promise<string | undefined | null> {
  const input = await vscode.window.showInputBox({ title, value: value ?? '', validateInput: validate });
  return input === undefined ? null : input.trim() || undefined;
}

const validDays = (v: string): string | undefined =>
  v.trim() === '' || /^[1-9]\d{0,3}$/.test(v.trim())
    ? undefined
    : 'A whole number of days, 1–9999 (empty: any time)';

/** Edits the Training Jobs filters; they are saved per workspace and shown in the view description. */
export async function filterTrainingJobs(explorer: Explorer): Promise<void> {
  const filters = explorer.state.filters;
  const picked = await vscode.window.showQuickPick(choices(filters), { title: 'Filter training jobs' });
  if (!picked) {
    return;
  }
  let next: TrainingJobFilters | undefined;
  switch (picked.choice) {
    case 'status': {
      const status = await pickStatus(filters.status);
      next = status === null ? undefined : { ...filters, status };
      break;
    }
    case 'name': {
      const name = await askText('Training jobs: name contains', filters.nameContains);
      next = name === null ? undefined : { ...filters, nameContains: name };
      break;
    }
    case 'days': {
      const days = await askText(
        'Training jobs: created within N days',
        filters.createdWithinDays?.toString(),
        validDays,
      );
      next = days === null ? undefined : { ...filters, createdWithinDays: days ? Number(days) : undefined };
      break;
    }
    case 'mine':
      next = { ...filters, onlyMine: !filters.onlyMine };
      break;
    case 'sshReady':
      next = { ...filters, onlySshReady: !filters.onlySshReady };
      break;
    case 'clear':
      next = {};
      break;
  }
  if (next) {
    await applyFilters(explorer, next);
  }
}

export async function applyFilters(explorer: Explorer, filters: TrainingJobFilters): Promise<void> {
  await explorer.state.setFilters(filters);
  await explorer.trainingJobs.refresh({ resetPages: true });
}
