import { resourceView } from './resource-view.js';

/** The configs view: names, dates and the services using each. */
export const configsView = resourceView('configs');
