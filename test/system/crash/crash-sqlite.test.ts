import { describeCrashTest } from './crash-test-case.js';

describeCrashTest('sqlite', 'SQLite');
