import * as vscode from 'vscode';
import type { ForwardManager } from '../forward/forwardManager';
import { isStudioPlace } from '../forward/forwardPlace';
import type { Logger } from '../util/logger';
import type { AwsState } from '../vscode/awsState';
import { ExplorerState } from './explorerState';
import { HyperPodProvider } from './hyperPodProvider';
import { StudioProvider } from './studioProvider';
import { TrainingJobsProvider } from './trainingJobsProvider';
import { PayloadResourcesProvider, resourcesViewId } from './payloadResourcesProvider';
import { setViewContext } from './viewProblem';

export const trainingJobsViewId = 'sagemakerSsh.trainingJobs';
export const studioViewId = 'sagemakerSsh.studio';
export const hyperPodViewId = 'sagemakerSsh.hyperPod';

/** What commands need from the views: the providers and the persisted view state. */
export interface Explorer {
  readonly trainingJobs: TrainingJobsProvider;
  readonly studio: StudioProvider;
  readonly state: ExplorerState;
  readonly trainingJobsView: vscode.TreeView<unknown>;
  readonly studioView: vscode.TreeView<unknown>;
  /** Processing and transform jobs, endpoints, notebook instances (issue 12, item 5). */
  readonly resources: PayloadResourcesProvider;
  readonly resourcesView: vscode.TreeView<unknown>;
  readonly hyperPod: HyperPodProvider;
  readonly hyperPodView: vscode.TreeView<unknown>;
}

/** Providers are created before their TreeView exists; the description reaches it through this. */
class ViewDescription {
  view?: vscode.TreeView<unknown>;
  readonly set = (text: string): void => {
    if (this.view) {
      this.view.description = text;
    }
  };
}

export function registerViews(
  context: vscode.ExtensionContext,
  aws: AwsState,
  logger: Logger,
  forwards?: ForwardManager,
): { explorer: Explorer; disposables: vscode.Disposable[] } {
  const state = new ExplorerState(context.workspaceState);
  const connection = (): ReturnType<AwsState['connection']> => aws.connection();
  const jobsDescription = new ViewDescription();
  const studioDescription = new ViewDescription();
  const trainingJobs = new TrainingJobsProvider({
    connection,
    filters: () => state.filters,
    logger,
    describe: jobsDescription.set,
    forwards,
  });
  const studio = new StudioProvider({
    connection,
    showDeleted: () => state.showDeletedApps,
    logger,
    describe: studioDescription.set,
    forwards,
  });
  const hyperPodDescription = new ViewDescription();
  const hyperPod = new HyperPodProvider({ connection, logger, describe: hyperPodDescription.set });
  const hyperPodView = vscode.window.createTreeView(hyperPodViewId, {
    treeDataProvider: hyperPod,
    showCollapseAll: true,
  });
  hyperPodDescription.view = hyperPodView;
  const jobsView = vscode.window.createTreeView(trainingJobsViewId, {
    treeDataProvider: trainingJobs,
    showCollapseAll: true,
  });
  const studioView = vscode.window.createTreeView(studioViewId, {
    treeDataProvider: studio,
    showCollapseAll: true,
  });
  jobsDescription.view = jobsView;
  studioDescription.view = studioView;
  const resourcesDescription = new ViewDescription();
  const resources = new PayloadResourcesProvider({
    connection,
    logger,
    describe: resourcesDescription.set,
    forwards,
  });
  const resourcesView = vscode.window.createTreeView(resourcesViewId, {
    treeDataProvider: resources,
    showCollapseAll: true,
  });
  resourcesDescription.view = resourcesView;
  setViewContext('studio.showDeleted', state.showDeletedApps);
  const disposables: vscode.Disposable[] = [
    trainingJobs,
    studio,
    jobsView,
    studioView,
    jobsView.onDidChangeVisibility((e) => trainingJobs.scheduler.setVisible(e.visible)),
    studioView.onDidChangeVisibility((e) => studio.scheduler.setVisible(e.visible)),
    hyperPod,
    hyperPodView,
    hyperPodView.onDidChangeVisibility((e) => hyperPod.scheduler.setVisible(e.visible)),
    aws.onDidChange(() => {
      void trainingJobs.refresh({ resetPages: true });
      void studio.refresh();
      void resources.reset();
      void hyperPod.refresh();
    }),
    resources,
    resourcesView,
    resourcesView.onDidChangeVisibility((e) => resources.scheduler.setVisible(e.visible)),
  ];
  if (forwards) {
    // Repainting Studio lists the expanded domains' apps again, so only when its forwards changed.
    let studioHadForwards = false;
    const repaint = (): void => {
      trainingJobs.repaint();
      resources.repaint();
      const studioHasForwards = forwards.list().some((forward) => isStudioPlace(forward.placeKey));
      if (studioHasForwards || studioHadForwards) studio.repaint();
      studioHadForwards = studioHasForwards;
    };
    forwards.on('changed', repaint);
    disposables.push({ dispose: () => forwards.off('changed', repaint) });
  }
  trainingJobs.scheduler.setVisible(jobsView.visible);
  studio.scheduler.setVisible(studioView.visible);
  hyperPod.scheduler.setVisible(hyperPodView.visible);
  resources.scheduler.setVisible(resourcesView.visible);
  return {
    explorer: {
      trainingJobs,
      studio,
      state,
      trainingJobsView: jobsView,
      studioView,
      resources,
      resourcesView,
      hyperPod,
      hyperPodView,
    },
    disposables,
  };
}
