import { KeelError } from '../core/errors.js';
import type { Experiment, Page, ViewType } from '../core/tracking/index.js';
import type { HttpTransport } from './http-transport.js';
import { iteratePages } from './page-iterator.js';
import { decodeExperiment, toTagList } from './wire-format.js';
import type { TagsInput, WireExperiment } from './wire-format.js';

const base = '/api/2.0/mlflow/experiments';

export interface CreateExperimentOptions {
  /** Where the experiment's runs store artifacts; the server chooses when absent. */
  artifactLocation?: string;
  tags?: TagsInput;
}

export interface ExperimentSearch {
  /** MLflow's filter grammar, e.g. `name LIKE 'keel-%' AND tags.team = 'ml'`. */
  filter?: string;
  /** e.g. `['name ASC']`; default `creation_time DESC`. */
  orderBy?: string[];
  /** Default `ACTIVE_ONLY`. */
  viewType?: ViewType;
  /** Page size (default 1000, at most 50000). */
  maxResults?: number;
  pageToken?: string;
}

/** Experiments: `client.experiments`. */
export class ExperimentsApi {
  constructor(private readonly http: HttpTransport) {}

  /** Creates an experiment and returns its id. `RESOURCE_ALREADY_EXISTS` when the name is taken. */
  async create(name: string, options: CreateExperimentOptions = {}): Promise<string> {
    const body: Record<string, unknown> = { name, tags: toTagList(options.tags) };
    if (options.artifactLocation !== undefined) body.artifact_location = options.artifactLocation;
    const response = await this.http.sendJson<{ experiment_id?: string }>(`${base}/create`, body);
    return response.experiment_id ?? '';
  }

  /** An active or deleted experiment. `RESOURCE_DOES_NOT_EXIST` when unknown. */
  async get(experimentId: string): Promise<Experiment> {
    const response = await this.http.getJson<{ experiment?: WireExperiment }>(`${base}/get`, {
      experiment_id: experimentId,
    });
    return decodeExperiment(response.experiment ?? {});
  }

  /** The active or deleted experiment with that name, or `undefined`. */
  async getByName(name: string): Promise<Experiment | undefined> {
    try {
      const response = await this.http.getJson<{ experiment?: WireExperiment }>(`${base}/get-by-name`, {
        experiment_name: name,
      });
      return decodeExperiment(response.experiment ?? {});
    } catch (error) {
      if (error instanceof KeelError && error.code === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw error;
    }
  }

  /** One page of experiments. */
  async search(query: ExperimentSearch = {}): Promise<Page<Experiment>> {
    const body: Record<string, unknown> = {
      max_results: query.maxResults ?? 1000,
      view_type: query.viewType ?? 'ACTIVE_ONLY',
    };
    if (query.filter) body.filter = query.filter;
    if (query.orderBy?.length) body.order_by = query.orderBy;
    if (query.pageToken) body.page_token = query.pageToken;
    const response = await this.http.sendJson<{ experiments?: WireExperiment[]; next_page_token?: string }>(
      `${base}/search`,
      body,
    );
    const page: Page<Experiment> = { items: (response.experiments ?? []).map(decodeExperiment) };
    if (response.next_page_token) page.nextPageToken = response.next_page_token;
    return page;
  }

  /** Every matching experiment, page after page. */
  iterate(query: Omit<ExperimentSearch, 'pageToken'> = {}): AsyncGenerator<Experiment> {
    return iteratePages((pageToken) => this.search({ ...query, pageToken }));
  }

  async rename(experimentId: string, newName: string): Promise<void> {
    await this.http.sendJson(`${base}/update`, { experiment_id: experimentId, new_name: newName });
  }

  /** Soft-deletes the experiment and its runs. */
  async delete(experimentId: string): Promise<void> {
    await this.http.sendJson(`${base}/delete`, { experiment_id: experimentId });
  }

  /** Restores a deleted experiment and the runs its deletion deleted. */
  async restore(experimentId: string): Promise<void> {
    await this.http.sendJson(`${base}/restore`, { experiment_id: experimentId });
  }

  async setTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.http.sendJson(`${base}/set-experiment-tag`, { experiment_id: experimentId, key, value });
  }

  async deleteTag(experimentId: string, key: string): Promise<void> {
    await this.http.sendJson(`${base}/delete-experiment-tag`, { experiment_id: experimentId, key });
  }
}
