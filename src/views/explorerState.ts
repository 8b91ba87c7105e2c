import type * as vscode from 'vscode';
import type { TrainingJobFilters } from '../explorer/trainingJobFilters';
import { noFilters, sanitizeFilters } from '../explorer/trainingJobFilters';

const filtersKey = 'sagemakerSsh.trainingJobFilters';
const showDeletedKey = 'sagemakerSsh.studio.showDeletedApps';

/** View state persisted per workspace: the Training Jobs filters and "show deleted apps". */
export class ExplorerState {
  constructor(private readonly memento: vscode.Memento) {}

  get filters(): TrainingJobFilters {
    return sanitizeFilters(this.memento.get(filtersKey, noFilters));
  }

  async setFilters(filters: TrainingJobFilters): Promise<void> {
    await this.memento.update(filtersKey, sanitizeFilters(filters));
  }

  get showDeletedApps(): boolean {
    return this.memento.get(showDeletedKey, false);
  }

  async setShowDeletedApps(show: boolean): Promise<void> {
    await this.memento.update(showDeletedKey, show);
  }
}
