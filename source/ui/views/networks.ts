import { resourceView } from './resource-view.js';

/** The networks view: `docker network ls`, with the services attached to each. */
export const networksView = resourceView('networks');
