import { simulatorBackend, simulatorEnginePair } from './backend.js';
import { defineContract } from './contract.js';
import { defineLifecycleContract } from './lifecycle.js';
import { defineObjectsContract } from './objects.js';
import { defineSpecsContract } from './specs.js';
import { defineStackContract } from './stack-deploy.js';
import { defineVerbsContract } from './verbs.js';

// The same contracts the engine suite runs against a real dockerd (npm run test:engine).
defineContract('simulator', simulatorBackend);
defineObjectsContract('simulator', simulatorBackend);
defineLifecycleContract('simulator', simulatorEnginePair);
defineVerbsContract('simulator', simulatorBackend);
defineStackContract('simulator', simulatorBackend);
defineSpecsContract('simulator', simulatorBackend);
