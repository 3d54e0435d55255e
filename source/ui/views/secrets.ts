import { resourceView } from './resource-view.js';

/** The secrets view: names, dates and the services using each; never their data. */
export const secretsView = resourceView('secrets');
