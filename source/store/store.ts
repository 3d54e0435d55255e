import { initialState, reduce, type Action, type ClusterState } from './state.js';

/** A store outside React: read with useSyncExternalStore(store.subscribe, store.getSnapshot). */
export interface Store {
  getSnapshot(): ClusterState;
  subscribe(listener: () => void): () => void;
  dispatch(action: Action): void;
}

/** Creates the cluster store for one endpoint. */
export function createStore(endpoint: string): Store {
  let state = initialState(endpoint);
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispatch(action) {
      const next = reduce(state, action);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
  };
}
