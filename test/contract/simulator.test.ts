import { simulatorBackend } from './backend.js';
import { defineContract } from './contract.js';

// The same contract the engine suite runs against a real dockerd (npm run test:engine).
defineContract('simulator', simulatorBackend);
